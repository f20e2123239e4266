// The page inside a learning-management system, by SCORM 2004 (4th Edition) or SCORM 1.2. It runs
// only in a package's page (data/page.js carries the delivery settings, LECTURE_PAGE.lms, from
// assets/delivery.toml) and only when an LMS's API is found, as each run-time environment says:
// window.API_1484_11 (2004), else window.API (1.2), in this window or a parent, then in the opener
// and its parents; an LMS offering both is spoken to in 2004. Otherwise nothing here runs, and the
// page keeps its answers in localStorage as always. The two differ only in names and formats (the
// DIALECTS below); in an LMS:
//  * the status: 'incomplete' on the first launch (a stored completed/passed/failed is never
//    lowered); 'completed' once the student has been inside at least completed_at of the chapters
//    (played or seeked into); 'passed' or 'failed' once every question is answered, by the mastery
//    score (the LMS's, cmi.student_data.mastery_score or cmi.scaled_passing_score, else the page's).
//    SCORM 2004 keeps completion and success apart; 1.2 has one lesson_status, where passed/failed
//    also says completed, so there they wait for the chapters as well;
//  * the score: the percentage of right answers over all the questions (min 0, max 100; in 2004
//    also scaled, 0..1), reported once every question is answered (a partial score could make an
//    LMS fail the student early); after 'passed', a lower score is not reported (the best is kept);
//  * the location: the video's time in seconds, at most every few seconds and on pause/seek;
//    suspend_data: {"a": answers, "c": reached chapters} as compact JSON within the edition's limit;
//  * on a later launch (entry 'resume', or a stored location) the answers go back into the quiz
//    and the video to that time (unless the address asks for a #t= or #chapter=);
//  * on leaving: session_time, exit 'suspend', a commit, and the API's finish (LMSFinish,
//    Terminate) once. An answer, a new chapter or a new status is committed at once, then at most
//    every COMMIT_MS.
// In review or browse mode (cmi.core.lesson_mode, cmi.mode) no status or score is set: the LMS's own.
'use strict';
(() => {
  const P = window.LECTURE_PAGE, S = P.lms;
  if (!S) return;
  const LOCATION_MS = 3000;     // the location while playing, at most this often
  const COMMIT_MS = 5000;
  const RANK = {incomplete: 1, completed: 2, failed: 3, passed: 4};  // anything else: 0

  const two = n => String(n).padStart(2, '0');
  function clock(ms, most = Infinity) {  // [hours, minutes, seconds, hundredths]
    const cs = Math.min(Math.round(ms / 10), most);
    return [Math.floor(cs / 360000), Math.floor(cs / 6000) % 60, Math.floor(cs / 100) % 60, cs % 100];
  }
  function timespan(ms) {  // CMITimespan: HHHH:MM:SS.SS
    const [h, m, s, c] = clock(ms, 9999 * 360000 + 359999);
    return `${String(h).padStart(4, '0')}:${two(m)}:${two(s)}.${two(c)}`;
  }
  function duration(ms) {  // timeinterval, an ISO 8601 duration: PT1H2M3.45S
    const [h, m, s, c] = clock(ms);
    return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s}.${two(c)}S`;
  }

  // The run-time APIs, the one preferred first: where each is found (depth: the parents its RTE's
  // discovery algorithm climbs), its methods, its data model's elements (suspend_data is
  // cmi.suspend_data in both), its time format and limits (suspendLimit: characters).
  const DIALECTS = [
    {api: 'API_1484_11', depth: 500, init: 'Initialize', finish: 'Terminate', getValue: 'GetValue',
     setValue: 'SetValue', commit: 'Commit', completion: 'cmi.completion_status', success: 'cmi.success_status',
     score: 'cmi.score', scaled: 'cmi.score.scaled', mastery: 'cmi.scaled_passing_score', masteryUnit: 100,
     location: 'cmi.location', suspendLimit: 64000, sessionTime: 'cmi.session_time', time: duration,
     exit: 'cmi.exit', entry: 'cmi.entry', mode: 'cmi.mode'},
    {api: 'API', depth: 7, init: 'LMSInitialize', finish: 'LMSFinish', getValue: 'LMSGetValue',
     setValue: 'LMSSetValue', commit: 'LMSCommit', completion: 'cmi.core.lesson_status', success: 'cmi.core.lesson_status',
     score: 'cmi.core.score', scaled: null, mastery: 'cmi.student_data.mastery_score', masteryUnit: 1,
     location: 'cmi.core.lesson_location', suspendLimit: 4096, sessionTime: 'cmi.core.session_time', time: timespan,
     exit: 'cmi.core.exit', entry: 'cmi.core.entry', mode: 'cmi.core.lesson_mode'},
  ];

  function findIn(win, D) {  // win or a parent, at most D.depth levels up
    for (let tries = 0; win && tries <= D.depth; tries++) {
      try { if (win[D.api] && typeof win[D.api][D.init] === 'function') return win[D.api]; } catch (e) { /* another origin */ }
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  function discover() {
    for (const D of DIALECTS) {
      let found = findIn(window, D);
      try { if (!found && window.opener) found = findIn(window.opener, D); } catch (e) { found = null; }
      if (found) return [D, found];
    }
    return [null, null];
  }
  const [D, api] = discover();
  if (!api) return;
  const call = (name, ...args) => { try { return String(api[name](...args)); } catch (e) { return 'false'; } };
  if (call(D.init, '') !== 'true') return;  // the LMS refused: the page goes on alone

  const get = key => { const v = call(D.getValue, key); return v === 'undefined' || v === 'null' ? '' : v; };
  const set = (key, value) => call(D.setValue, key, String(value)) === 'true';
  const started = Date.now();
  const review = ['review', 'browse'].includes(get(D.mode));  // no status or score then (the LMS's own)
  const lmsMastery = parseFloat(get(D.mastery));
  const mastery = Number.isFinite(lmsMastery) ? Math.round(lmsMastery * D.masteryUnit * 1e6) / 1e6 : S.mastery_score;
  const status = {[D.completion]: get(D.completion), [D.success]: get(D.success)};  // one element in 1.2
  let scored = get(`${D.score}.raw`);
  let lastCommit = 0, pending = null, lastPlaced = 0, finished = false, where = get(D.location);

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
    if (now || wait <= 0) { lastCommit = Date.now(); call(D.commit, ''); } else pending = setTimeout(() => commit(true), wait);
  }

  // The answers and reached chapters, shortened to fit: typed numbers cut to 32 characters, then
  // the answers left out (the chapters always fit: one small number each).
  function keep() {
    const c = [...reached].sort((x, y) => x - y), a = Quiz.answers;
    const short = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 32) : v]));
    const text = [{a, c}, {a: short, c}, {c}].map(d => JSON.stringify(d)).find(t => t.length <= D.suspendLimit);
    set('cmi.suspend_data', text);
  }

  function setStatus(element, next) {
    if ((RANK[next] || 0) > (RANK[status[element]] || 0) && set(element, next)) { status[element] = next; return true; }
    return false;
  }

  function setScore(raw) {  // raw: the percentage, as text
    return set(`${D.score}.min`, 0) && set(`${D.score}.max`, 100) && set(`${D.score}.raw`, raw) &&
      (!D.scaled || set(D.scaled, String(Math.round(100 * raw) / 10000)));
  }

  // The status and score from the chapters reached and the quiz's results (judged by quiz.js).
  function judge() {
    if (review) return false;
    const results = Quiz.results(), total = results.length, right = results.filter(r => r.right).length;
    const chapters = Page.chapters.length;
    const watched = chapters > 0 && reached.size >= Math.ceil(S.completed_at * chapters - 1e-9);
    const answered = total > 0 && results.every(r => r.answered);
    const passes = right * 100 >= mastery * total;
    let changed = setStatus(D.completion, watched ? 'completed' : 'incomplete');
    if (answered && !(status[D.success] === 'passed' && !passes)) {
      const raw = String(Math.round(10000 * right / total) / 100);
      if (raw !== scored && setScore(raw)) {
        scored = raw;
        changed = true;
      }
      if (watched || D.success !== D.completion) changed = setStatus(D.success, passes ? 'passed' : 'failed') || changed;
    }
    return changed;
  }

  function place(time) {
    const text = String(Math.round(time * 10) / 10);
    lastPlaced = Date.now();
    if (text !== where && set(D.location, text)) where = text;
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

  function finish() {
    if (finished) return;
    finished = true;
    clearTimeout(pending);
    if (Page.video) place(Page.video.currentTime);
    keep();
    judge();
    set(D.sessionTime, D.time(Date.now() - started));
    set(D.exit, 'suspend');
    call(D.commit, '');
    call(D.finish, '');
  }

  function resume() {
    const time = parseFloat(where);
    const asked = new URLSearchParams(location.hash.slice(1));
    if (!Number.isFinite(time) || time <= 0 || asked.get('t') || asked.get('chapter')) return;
    const video = Page.video;
    if (video.readyState >= 1) video.currentTime = time;
    else video.addEventListener('loadedmetadata', () => { video.currentTime = time; }, {once: true});
  }

  if (!review && !(RANK[status[D.completion]] >= RANK.incomplete)) setStatus(D.completion, 'incomplete');
  Quiz.on(() => { keep(); judge(); commit(false); });
  for (const type of ['timeupdate', 'seeked', 'pause']) document.addEventListener(type, onVideo, true);  // media events reach a capturing listener
  for (const type of ['pagehide', 'beforeunload', 'unload']) window.addEventListener(type, finish);
  document.addEventListener('DOMContentLoaded', () => {  // after the player's start(): its video exists
    if (get(D.entry) === 'resume' || where) resume();
    commit(true);
  });
})();
