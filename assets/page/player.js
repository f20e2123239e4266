// The lecture player: one <video> per language cut, chapters and subtitles as WebVTT text tracks
// (their text is embedded in data/page.js: a page opened from file:// may not load <track> files),
// the chapter menu, the transcript with search, the language switch, #t= / #chapter= addresses
// and the keyboard. Also the page's shared helpers (Page.t, Page.fill, Page.onLang).
'use strict';
const Page = (() => {
  const P = window.LECTURE_PAGE;
  const store = key => { try { return localStorage.getItem(key); } catch (e) { return null; } };
  const hooks = [];
  const INSIDE = 0.02;  // seconds past a chapter's or cue's start a seek lands: its first frame, not the last before
  let lang = P.langs[0], cut = null, video = null, cues = [], chapterCues = [], activeCue = -1, activeChapter = -1;

  const t = key => (P.ui[lang] && P.ui[lang][key]) || P.ui[P.langs[0]][key] || key;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const $ = id => document.getElementById(id);
  const clock = s => { s = Math.max(0, Math.floor(s)); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };

  // A small WebVTT reader: cue timings and text (settings, styles and regions ignored).
  function parseVtt(text) {
    const time = s => s.trim().split(':').reduce((a, v) => a * 60 + parseFloat(v), 0);
    const out = [];
    for (const block of text.replace(/\r/g, '').split(/\n\n+/)) {
      const lines = block.split('\n');
      const at = lines.findIndex(l => l.includes('-->'));
      if (at < 0) continue;
      const [start, end] = lines[at].split('-->');
      out.push({start: time(start), end: time(end.trim().split(/\s+/)[0]), text: lines.slice(at + 1).join('\n').trim()});
    }
    return out;
  }

  // Subtitle cues cut a narration line to fit the screen; the transcript joins them into whole
  // sentences again (a cue that does not end a sentence continues in the next one).
  const CJK = /[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]/;
  const join = (a, b) => (CJK.test(a.slice(-1)) && CJK.test(b[0]) ? a + b : `${a} ${b}`);
  function sentences(list) {
    const out = [];
    for (const c of list) {
      const text = c.text.split('\n').reduce(join);
      const last = out[out.length - 1];
      if (last && !/[.!?。！？…:：;；”"]$/.test(last.text) && c.start - last.end < 0.05) {
        last.text = join(last.text, text);
        last.end = c.end;
      } else out.push({start: c.start, end: c.end, text});
    }
    return out;
  }

  function addTrack(v, kind, code, text) {
    const track = v.addTextTrack(kind, P.ui[code] ? P.ui[code]['page.lang_name'] : code, code);
    for (const c of parseVtt(text)) track.addCue(new VTTCue(c.start, c.end, c.text));
    return track;
  }

  // Load the cut of ``code`` (a new <video>, since tracks added by script cannot be removed),
  // then seek to ``time`` and play on if the previous one was playing.
  function loadCut(code, time, playing) {
    cut = code;
    const c = P.cuts[code];
    const v = document.createElement('video');
    Object.assign(v, {controls: true, preload: 'metadata', playsInline: true, id: 'video'});
    v.setAttribute('aria-label', t('lecture.title'));
    v.appendChild(document.createTextNode(t('page.video_fallback')));
    v.src = c.video;
    for (const code2 of Object.keys(c.tracks.subtitles)) addTrack(v, 'subtitles', code2, c.tracks.subtitles[code2]);
    for (const code2 of Object.keys(c.tracks.chapters)) addTrack(v, 'chapters', code2, c.tracks.chapters[code2]);
    v.addEventListener('timeupdate', follow);
    v.addEventListener('seeked', follow);
    v.addEventListener('loadedmetadata', () => {
      if (time) v.currentTime = time;
      if (playing) v.play().catch(() => {});
    }, {once: true});
    $('video-box').replaceChildren(v);
    video = v;
  }

  function showTracks() {
    const c = P.cuts[cut];
    for (const track of video.textTracks) {
      if (track.kind === 'subtitles') track.mode = track.language === lang ? 'showing' : 'disabled';
      else track.mode = 'hidden';
    }
    const chapters = [...video.textTracks].find(tr => tr.kind === 'chapters' && tr.language === lang)
      || [...video.textTracks].find(tr => tr.kind === 'chapters');
    chapterCues = [...chapters.cues].map(c2 => ({start: c2.startTime, end: c2.endTime, text: c2.text}));
    const sub = c.tracks.subtitles[lang] || c.tracks.subtitles[cut] || Object.values(c.tracks.subtitles)[0] || '';
    cues = sentences(parseVtt(sub));
    drawChapters();
    drawCues();
  }

  function drawChapters() {
    const list = $('chapters');
    list.replaceChildren(...chapterCues.map((c, i) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.start = c.start;
      b.innerHTML = `<span class="time">${clock(c.start)}</span> `;
      b.append(c.text.replace(/^\d+\.\s*/, ''));
      b.addEventListener('click', () => seekChapter(i));
      li.appendChild(b);
      return li;
    }));
    activeChapter = -1;
  }

  function drawCues() {
    const list = $('cues');
    list.replaceChildren(...cues.map((c, i) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.innerHTML = `<span class="time">${clock(c.start)}</span> <span class="text"></span>`;
      b.querySelector('.text').textContent = c.text;
      b.addEventListener('click', () => { video.currentTime = c.start + INSIDE; });
      li.dataset.index = i;
      li.appendChild(b);
      return li;
    }));
    activeCue = -1;
    search();
  }

  function search() {
    const q = $('search').value.trim().toLowerCase();
    let n = 0;
    for (const li of $('cues').children) {
      const span = li.querySelector('.text');
      const text = cues[li.dataset.index].text;
      const at = q ? text.toLowerCase().indexOf(q) : -1;
      li.hidden = Boolean(q) && at < 0;
      if (at >= 0) {
        n += 1;
        const mark = document.createElement('mark');
        mark.textContent = text.slice(at, at + q.length);
        span.replaceChildren(text.slice(0, at), mark, text.slice(at + q.length));
      } else span.textContent = text;
    }
    $('matches').textContent = q ? fill(t('page.matches'), {n}) : '';
  }

  const indexAt = (list, time) => {
    for (let i = list.length - 1; i >= 0; i--) if (time >= list[i].start - 1e-3) return time < list[i].end + 1e-3 || i === list.length - 1 ? i : -1;
    return -1;
  };

  // Highlight the current chapter and cue; keep the cue in view inside the transcript box.
  function follow() {
    const time = video.currentTime;
    const ch = indexAt(chapterCues, time);
    if (ch !== activeChapter) {
      [...$('chapters').children].forEach((li, i) => li.classList.toggle('current', i === ch));
      activeChapter = ch;
    }
    const cue = indexAt(cues, time);
    if (cue !== activeCue) {
      const items = $('cues').children;
      if (items[activeCue]) items[activeCue].classList.remove('current');
      if (items[cue]) {
        items[cue].classList.add('current');
        const box = $('cues');
        const top = items[cue].offsetTop;  // the list is position: relative, its items' offsetParent
        if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 40) box.scrollTop = top - box.clientHeight / 3;
      }
      activeCue = cue;
    }
  }

  function seekChapter(i) {
    const c = chapterCues[Math.max(0, Math.min(chapterCues.length - 1, i))];
    if (c) video.currentTime = c.start + INSIDE;
  }

  function setLang(code, keepTime = true) {
    if (!P.langs.includes(code)) return;
    const chapter = indexAt(chapterCues, video ? video.currentTime : 0);
    lang = code;
    try { localStorage.setItem('lecture-page:lang', code); } catch (e) { /* storage off */ }
    document.documentElement.lang = code;
    for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    for (const el of document.querySelectorAll('[data-t-placeholder]')) el.placeholder = t(el.dataset.tPlaceholder);
    document.title = t('lecture.title');
    for (const b of $('lang-buttons').children) b.setAttribute('aria-pressed', String(b.dataset.lang === code));
    const target = P.cuts[code] ? code : cut || Object.keys(P.cuts)[0];
    const described = $('described');  // the described transcript of the cut shown
    if (described) { described.hidden = !P.cuts[target].transcript; described.href = P.cuts[target].transcript || ''; }
    if (target !== cut) {
      const playing = video && !video.paused;
      loadCut(target, 0, playing);
      showTracks();
      if (keepTime && chapter >= 0 && chapterCues[chapter]) {
        const start = chapterCues[chapter].start + INSIDE;
        video.addEventListener('loadedmetadata', () => { video.currentTime = start; }, {once: true});
      }
      $('cut-note').textContent = video && keepTime && chapter >= 0 ? fill(t('page.loading_cut'), {lang: t('page.lang_name')}) : '';
    } else {
      showTracks();
      $('cut-note').textContent = Object.keys(P.cuts).length < 2 && P.langs.length > 1 ? t('page.subtitles_only') : '';
    }
    follow();
    for (const hook of hooks) hook(code);
  }

  // #t=MM:SS (or H:MM:SS or seconds), #chapter=N (from 1), #lang=en, combined with &.
  function applyHash() {
    const args = new URLSearchParams(location.hash.slice(1));
    if (args.get('lang') && args.get('lang') !== lang) setLang(args.get('lang'), false);
    const seek = time => {
      if (video.readyState >= 1) video.currentTime = time;
      else video.addEventListener('loadedmetadata', () => { video.currentTime = time; }, {once: true});
    };
    if (args.get('chapter')) {
      const c = chapterCues[parseInt(args.get('chapter'), 10) - 1];
      if (c) seek(c.start + INSIDE);
    } else if (args.get('t')) {
      const time = args.get('t').split(':').reduce((a, v) => a * 60 + parseFloat(v), 0);
      if (Number.isFinite(time)) seek(time);
    }
  }

  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || !video) return;
    const tag = e.target.tagName;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || e.target.isContentEditable) return;
    if (e.key === ' ' && !/^(BUTTON|A|SUMMARY)$/.test(tag)) {
      e.preventDefault();
      if (video.paused) video.play().catch(() => {}); else video.pause();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      video.currentTime = Math.max(0, Math.min(video.duration || Infinity, video.currentTime + (e.key === 'ArrowLeft' ? -5 : 5)));
    }
  }

  function start() {
    for (const code of P.langs) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.lang = code;
      b.textContent = P.ui[code]['page.lang_name'];
      b.addEventListener('click', () => setLang(code));
      $('lang-buttons').appendChild(b);
    }
    $('search').addEventListener('input', search);
    document.addEventListener('keydown', onKey, true);
    window.addEventListener('hashchange', applyHash);
    const asked = new URLSearchParams(location.hash.slice(1)).get('lang');
    const first = [asked, store('lecture-page:lang'), P.langs[0]].find(c => c && P.langs.includes(c));
    lang = first;
    loadCut(P.cuts[first] ? first : Object.keys(P.cuts)[0], 0, false);
    setLang(first, false);
    applyHash();
  }

  document.addEventListener('DOMContentLoaded', start);
  return {t, fill, onLang: hook => hooks.push(hook), get lang() { return lang; }, get video() { return video; },
          seekChapter, get chapters() { return chapterCues; }, chapterAt: time => indexAt(chapterCues, time)};
})();
