// The page inside a learning-management system, by SCORM 1.2. It runs only in a package's page
// (data/page.js carries the delivery settings, LECTURE_PAGE.lms, from assets/delivery.toml) and
// only when an LMS's API is found, as the SCORM 1.2 run-time environment says: window.API in this
// window or a parent (at most 7 levels up), then in the opener and its parents. Otherwise nothing
// here runs, and the page keeps its answers in localStorage as always. In an LMS:
//  * the status: 'incomplete' on the first launch (a stored completed/passed/failed is never
//    lowered); 'completed' once the student has been inside at least completed_at of the chapters
//    (played or seeked into); 'passed' or 'failed' once that holds AND every question is answered,
//    by the mastery score (the LMS's cmi.student_data.mastery_score, else the page's);
//  * the score: the percentage of right answers over all the questions (min 0, max 100), reported
//    once every question is answered (a partial score could make an LMS fail the student early);
//    after 'passed', a lower score is not reported (the best result is kept);
//  * lesson_location: the video's time in seconds, at most every few seconds and on pause/seek;
//    suspend_data: {"a": answers, "c": reached chapters} as compact JSON within 4096 characters;
//  * on a later launch (entry 'resume', or a stored location) the answers go back into the quiz
//    and the video to that time (unless the address asks for a #t= or #chapter=);
//  * on leaving: session_time, exit 'suspend', a commit, and LMSFinish once. An answer, a new
//    chapter or a new status is committed at once, then at most every COMMIT_MS.
// In review or browse mode (cmi.core.lesson_mode) no status or score is set: the LMS's own.
'use strict';
(() => {
  const P = window.LECTURE_PAGE, S = P.lms;
  if (!S) return;
  const SUSPEND_LIMIT = 4096;   // characters of cmi.suspend_data (SCORM 1.2 CMIString4096)
  const LOCATION_MS = 3000;     // lesson_location while playing, at most this often
  const COMMIT_MS = 5000;
  const RANK = {incomplete: 1, completed: 2, failed: 3, passed: 4};  // anything else: 0

  function findIn(win) {
    for (let tries = 0; win && tries <= 7; tries++) {
      try { if (win.API && typeof win.API.LMSInitialize === 'function') return win.API; } catch (e) { /* another origin */ }
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  let api = findIn(window);
  try { if (!api && window.opener) api = findIn(window.opener); } catch (e) { api = null; }
  if (!api) return;
  const call = (name, ...args) => { try { return String(api[name](...args)); } catch (e) { return 'false'; } };
  if (call('LMSInitialize', '') !== 'true') return;  // the LMS refused: the page goes on alone

  const get = key => { const v = call('LMSGetValue', key); return v === 'undefined' || v === 'null' ? '' : v; };
  const set = (key, value) => call('LMSSetValue', key, String(value)) === 'true';
  const started = Date.now();
  const review = ['review', 'browse'].includes(get('cmi.core.lesson_mode'));  // no status or score then (the LMS's own)
  const lmsMastery = parseFloat(get('cmi.student_data.mastery_score'));
  const mastery = Number.isFinite(lmsMastery) ? lmsMastery : S.mastery_score;
  let status = get('cmi.core.lesson_status');
  let scored = get('cmi.core.score.raw');
  let lastCommit = 0, pending = null, lastPlaced = 0, finished = false, where = get('cmi.core.lesson_location');

  let kept = {};
  try { kept = JSON.parse(get('cmi.suspend_data') || '{}') || {}; } catch (e) { kept = {}; }
  const reached = new Set((Array.isArray(kept.c) ? kept.c : []).filter(Number.isInteger));
  const known = new Set(P.quiz.map(q => q.id));
  const answers = {};
  for (const [id, value] of Object.entries(kept.a && typeof kept.a === 'object' ? kept.a : {})) {
    if (known.has(id) && (typeof value === 'string' || (Array.isArray(value) && value.every(v => typeof v === 'string')))) answers[id] = value;
  }
  window.Quiz.restore(answers);  // the LMS's record is this learner's, whatever localStorage holds

  function commit(now) {
    clearTimeout(pending);
    pending = null;
    const wait = lastCommit + COMMIT_MS - Date.now();
    if (now || wait <= 0) { lastCommit = Date.now(); call('LMSCommit', ''); } else pending = setTimeout(() => commit(true), wait);
  }

  // The answers and reached chapters, shortened to fit: typed numbers cut to 32 characters, then
  // the answers left out (the chapters always fit: one small number each).
  function keep() {
    const c = [...reached].sort((x, y) => x - y), a = Quiz.answers;
    const short = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 32) : v]));
    const text = [{a, c}, {a: short, c}, {c}].map(d => JSON.stringify(d)).find(t => t.length <= SUSPEND_LIMIT);
    set('cmi.suspend_data', text);
  }

  function setStatus(next) {
    if ((RANK[next] || 0) > (RANK[status] || 0) && set('cmi.core.lesson_status', next)) { status = next; return true; }
    return false;
  }

  // The status and score from the chapters reached and the quiz's results (judged by quiz.js).
  function judge() {
    if (review) return false;
    const results = Quiz.results(), total = results.length, right = results.filter(r => r.right).length;
    const chapters = Page.chapters.length;
    const watched = chapters > 0 && reached.size >= Math.ceil(S.completed_at * chapters - 1e-9);
    const answered = total > 0 && results.every(r => r.answered);
    const passes = right * 100 >= mastery * total;
    let changed = setStatus(watched ? 'completed' : 'incomplete');
    if (answered && !(status === 'passed' && !passes)) {
      const raw = String(Math.round(10000 * right / total) / 100);
      if (raw !== scored && set('cmi.core.score.min', 0) && set('cmi.core.score.max', 100) && set('cmi.core.score.raw', raw)) {
        scored = raw;
        changed = true;
      }
      if (watched) changed = setStatus(passes ? 'passed' : 'failed') || changed;
    }
    return changed;
  }

  function place(time) {
    const text = String(Math.round(time * 10) / 10);
    lastPlaced = Date.now();
    if (text !== where && set('cmi.core.lesson_location', text)) where = text;
  }

  function onVideo(e) {
    const video = Page.video;
    if (!video || e.target !== video || finished) return;
    const chapter = Page.chapterAt(video.currentTime);
    let changed = false;
    if (chapter >= 0 && !reached.has(chapter)) {
      reached.add(chapter);
      keep();
      changed = true;
    }
    if (e.type !== 'timeupdate' || Date.now() - lastPlaced >= LOCATION_MS) place(video.currentTime);
    if (judge() || changed) commit(false);
  }

  function timespan(ms) {  // CMITimespan: HHHH:MM:SS.SS
    const cs = Math.min(Math.round(ms / 10), 9999 * 360000 + 359999);
    const two = n => String(n).padStart(2, '0');
    const h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60;
    return `${String(h).padStart(4, '0')}:${two(m)}:${two(s)}.${two(cs % 100)}`;
  }

  function finish() {
    if (finished) return;
    finished = true;
    clearTimeout(pending);
    if (Page.video) place(Page.video.currentTime);
    keep();
    judge();
    set('cmi.core.session_time', timespan(Date.now() - started));
    set('cmi.core.exit', 'suspend');
    call('LMSCommit', '');
    call('LMSFinish', '');
  }

  function resume() {
    const time = parseFloat(where);
    const asked = new URLSearchParams(location.hash.slice(1));
    if (!Number.isFinite(time) || time <= 0 || asked.get('t') || asked.get('chapter')) return;
    const video = Page.video;
    if (video.readyState >= 1) video.currentTime = time;
    else video.addEventListener('loadedmetadata', () => { video.currentTime = time; }, {once: true});
  }

  if (!review && !(RANK[status] >= RANK.incomplete)) setStatus('incomplete');
  Quiz.on(() => { keep(); judge(); commit(false); });
  for (const type of ['timeupdate', 'seeked', 'pause']) document.addEventListener(type, onVideo, true);  // media events reach a capturing listener
  for (const type of ['pagehide', 'beforeunload', 'unload']) window.addEventListener(type, finish);
  document.addEventListener('DOMContentLoaded', () => {  // after the player's start(): its video exists
    if (get('cmi.core.entry') === 'resume' || where) resume();
    commit(true);
  });
})();
