// 'Check yourself': the questions of data/page.js grouped by chapter, checked in the page, the
// answers kept in localStorage. Each question's element carries data-state="right" or "wrong".
// window.Quiz lets scorm.js restore the answers an LMS kept and hear of every answer checked.
'use strict';
(() => {
  const P = window.LECTURE_PAGE;
  const KEY = `lecture-page:${P.lesson}:answers`;
  const $ = id => document.getElementById(id);
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { saved = {}; }
  const save = () => { try { localStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* storage off */ } };

  // A typed number: full-width digits (Chinese input), a comma or a typographic minus accepted.
  const parse = text => {
    const s = String(text).normalize('NFKC').replace(/[−–—]/g, '-').replace(/,/g, '.').replace(/\s+/g, '');
    return s === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? NaN : Number(s);
  };

  function judge(q, value) {
    if (q.kind === 'number') {
      const v = parse(value);
      return Number.isFinite(v) && Math.abs(v - q.answer) <= q.tolerance + 1e-9 * Math.max(1, Math.abs(q.answer));
    }
    const picked = [].concat(value).sort();
    return picked.length === q.answer.length && picked.every((v, i) => v === q.answer[i]);
  }

  const given = value => !(value === undefined || value === '' || (Array.isArray(value) && !value.length));
  const listeners = [];
  const tell = () => { for (const hear of listeners) hear(); };
  const answerText = q => (q.kind === 'number' ? q.shown : q.answer.map(o => q.labels[Page.lang][o]).join(', '));
  const reveal = q => Page.fill(Page.t(q.recorded ? 'page.recorded' : 'page.answer'), {answer: answerText(q)});

  function feedback(box, q, value) {
    const out = box.querySelector('.feedback');
    out.replaceChildren();
    if (!given(value)) { delete box.dataset.state; return; }
    const ok = judge(q, value);
    box.dataset.state = ok ? 'right' : 'wrong';
    if (ok) {
      out.textContent = q.recorded ? `${Page.t('page.right')} ${reveal(q)}` : Page.t('page.right');
      return;
    }
    out.textContent = `${Page.t('page.wrong')} `;
    const show = document.createElement('button');
    show.type = 'button'; show.className = 'link'; show.textContent = Page.t('page.show');
    show.addEventListener('click', () => show.replaceWith(reveal(q)));
    out.appendChild(show);
  }

  function question(q) {
    const box = document.createElement('form');
    box.className = 'q'; box.dataset.id = q.id; box.noValidate = true;
    const text = document.createElement('p');
    text.className = 'qtext'; text.id = `q-${q.id}`; text.textContent = q.text[Page.lang];
    box.appendChild(text);
    const field = document.createElement('div');
    field.className = 'answer';
    const value = () => (q.kind === 'number' ? box.querySelector('input').value
      : [...box.querySelectorAll('input:checked')].map(i => i.value));
    if (q.kind === 'number') {
      const input = document.createElement('input');
      Object.assign(input, {type: 'text', inputMode: 'decimal', autocomplete: 'off', name: q.id});
      input.setAttribute('aria-labelledby', text.id);
      input.value = saved[q.id] !== undefined ? saved[q.id] : '';
      field.appendChild(input);
    } else {
      for (const o of q.options) {
        const label = document.createElement('label');
        const input = document.createElement('input');
        Object.assign(input, {type: q.kind === 'multi' ? 'checkbox' : 'radio', name: q.id, value: o});
        input.checked = [].concat(saved[q.id] || []).includes(o);
        label.append(input, ` ${q.labels[Page.lang][o]}`);
        field.appendChild(label);
      }
    }
    const check = document.createElement('button');
    check.type = 'submit'; check.textContent = Page.t('page.check');
    field.appendChild(check);
    box.appendChild(field);
    const out = document.createElement('p');
    out.className = 'feedback'; out.setAttribute('role', 'status');
    box.appendChild(out);
    box.addEventListener('submit', e => {
      e.preventDefault();
      saved[q.id] = value();
      save();
      feedback(box, q, saved[q.id]);
      tell();
    });
    if (saved[q.id] !== undefined) feedback(box, q, saved[q.id]);
    return box;
  }

  function draw() {
    const list = $('quiz-list');
    const chapters = Page.chapters;
    const groups = new Map();
    for (const q of P.quiz) {
      if (!groups.has(q.chapter)) groups.set(q.chapter, []);
      groups.get(q.chapter).push(q);
    }
    list.replaceChildren(...[...groups].map(([chapter, qs]) => {
      const section = document.createElement('section');
      section.className = 'qgroup';
      const h = document.createElement('h3');
      h.textContent = chapters[chapter] ? chapters[chapter].text : `${chapter + 1}`;
      const watch = document.createElement('button');
      watch.type = 'button'; watch.className = 'link';
      watch.textContent = Page.fill(Page.t('page.watch'), {n: chapter + 1});
      watch.addEventListener('click', () => { Page.seekChapter(chapter); Page.video.scrollIntoView({block: 'center'}); });
      section.append(h, watch, ...qs.map(question));
      return section;
    }));
  }

  $('quiz-reset').addEventListener('click', () => { saved = {}; save(); draw(); tell(); });
  Page.onLang(draw);
  window.Quiz = {
    on: hear => listeners.push(hear),  // after every answer checked, and a reset
    get answers() { return saved; },
    restore: answers => { saved = answers; save(); if ($('quiz-list').children.length) draw(); },
    results: () => P.quiz.map(q => ({id: q.id, answered: given(saved[q.id]), right: given(saved[q.id]) && judge(q, saved[q.id])})),
  };
})();
