// 'Explore the run': the recorded runs (data/lesson.js) drawn as SVG. Each plot's <g class="plot">
// carries its mapping (data-map: pixel box and data ranges) so a test can map drawn points back.
'use strict';
(() => {
  const D = window.LESSON_DATA;
  const $ = id => document.getElementById(id);
  const NS = $('reg-fit').namespaceURI;
  const BOX = {left: 52, right: 20, top: 14, bottom: 36};

  function el(parent, tag, attrs = {}, text) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  }
  const px = v => Math.round(v * 100) / 100;
  const num = (v, places) => (Math.abs(v) < 1e-12 ? 0 : v).toFixed(places);
  const sig = (v, digits = 4) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(digits - 1) : Number(v.toPrecision(digits)).toString());

  function ticks(lo, hi, log) {
    if (log) { const out = []; for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) out.push(e); return out; }
    const raw = (hi - lo) / 5, mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
    return out;
  }

  // Axes in ``svg`` for data ranges x, y (y on a log10 scale when log); returns the plot group
  // and the functions mapping data to pixels.
  function axes(svg, x, y, labels, log = false) {
    svg.replaceChildren();
    el(svg, 'title', {}, Page.t(svg.dataset.name));  // the plot's accessible name; its numbers: aria-describedby
    const [w, h] = svg.getAttribute('viewBox').split(' ').slice(2).map(Number);
    const box = [BOX.left, w - BOX.right, BOX.top, h - BOX.bottom];
    const ylo = log ? Math.log10(y[0]) : y[0], yhi = log ? Math.log10(y[1]) : y[1];
    const sx = v => box[0] + (v - x[0]) / (x[1] - x[0]) * (box[1] - box[0]);
    const syl = v => box[3] - (v - ylo) / (yhi - ylo) * (box[3] - box[2]);
    const sy = v => syl(log ? Math.log10(Math.max(v, y[0])) : v);
    const g = el(svg, 'g', {class: 'plot', 'data-map': JSON.stringify({box, x, y, log})});
    const grid = el(g, 'g', {class: 'grid'});
    for (const v of ticks(x[0], x[1])) {
      el(grid, 'line', {x1: px(sx(v)), x2: px(sx(v)), y1: box[2], y2: box[3]});
      el(grid, 'text', {x: px(sx(v)), y: box[3] + 14, 'text-anchor': 'middle'}, +v.toPrecision(6));
    }
    for (const v of ticks(ylo, yhi, log)) {
      el(grid, 'line', {x1: box[0], x2: box[1], y1: px(syl(v)), y2: px(syl(v))});
      el(grid, 'text', {x: box[0] - 5, y: px(syl(v)) + 4, 'text-anchor': 'end'}, log ? String(+(10 ** v).toPrecision(1)) : +v.toPrecision(6));
    }
    el(g, 'rect', {class: 'frame', x: box[0], y: box[2], width: box[1] - box[0], height: box[3] - box[2]});
    const clip = el(el(g, 'defs'), 'clipPath', {id: `clip-${svg.id}`});
    el(clip, 'rect', {x: box[0], y: box[2], width: box[1] - box[0], height: box[3] - box[2]});
    const area = el(g, 'g', {'clip-path': `url(#clip-${svg.id})`});  // what is drawn stays inside the axes
    el(g, 'text', {class: 'label', x: (box[0] + box[1]) / 2, y: h - 4, 'text-anchor': 'middle'}, labels[0]);
    el(g, 'text', {class: 'label', x: 12, y: (box[2] + box[3]) / 2, 'text-anchor': 'middle',
      transform: `rotate(-90 12 ${(box[2] + box[3]) / 2})`}, labels[1]);
    return {g, area, sx, sy, box};
  }

  const path = (sx, sy, xs, ys) => xs.map((v, i) => `${i ? 'L' : 'M'}${px(sx(v))},${px(sy(ys[i]))}`).join('');
  const range = (plot, values, pad = 0.08) => {
    if (plot) return [plot[0], plot[1]];
    const lo = Math.min(...values), hi = Math.max(...values), d = (hi - lo) * pad || 1;
    return [lo - d, hi + d];
  };
  function readout(dl, pairs) {
    dl.replaceChildren();
    for (const [label, value, id] of pairs) {
      const dd = document.createElement('dd'); dd.textContent = value; if (id) dd.id = id;
      if (!label) { dd.className = 'wide'; dl.append(dd); continue; }  // a sentence: the full width
      const dt = document.createElement('dt'); dt.textContent = label;
      dl.append(dt, dd);
    }
  }

  // A training run: the model over the data, the loss curve with a marker, an epoch slider.
  function runPanel(id, run, model, opts) {
    const slider = $(`${id}-slider`);
    slider.max = run.w.length - 1;
    let fit, loss, line, marker, plotted;
    function draw() {
      const T = Page.t;
      const x = range(run.plot.x, run.x), y = range(opts.y(run), run.y);
      fit = axes($(`${id}-fit`), x, y, [T('common.x'), T('common.y')]);
      if (opts.reference) {
        el(fit.area, 'path', {class: 'reference', d: opts.reference(fit, x)});
        el(fit.g, 'text', {class: 'note', x: fit.box[0] + 6, y: fit.box[2] + 14}, `- - ${T(opts.referenceLabel)}`);
      }
      for (let i = 0; i < run.x.length; i++) el(fit.g, 'circle', {class: 'data', cx: px(fit.sx(run.x[i])), cy: px(fit.sy(run.y[i])), r: 4});
      plotted = el(fit.area, opts.line ? 'line' : 'path', {class: 'model', id: `${id}-line`});
      const ys = run.curve.loss;
      const ly = opts.log ? [10 ** Math.floor(Math.log10(Math.min(...ys))), 10 ** Math.ceil(Math.log10(Math.max(...ys)))] : [0, Math.max(...ys) * 1.05];
      loss = axes($(`${id}-loss`), [0, run.epochs], ly, [T('common.epoch'), T(opts.log ? 'page.loss_log' : 'page.loss_linear')], opts.log);
      if (opts.lossLine) {
        el(loss.g, 'line', {class: 'reference', x1: loss.box[0], x2: loss.box[1], y1: px(loss.sy(opts.lossLine)), y2: px(loss.sy(opts.lossLine))});
        el(loss.g, 'text', {class: 'note', x: loss.box[1] - 4, y: px(loss.sy(opts.lossLine)) - 5, 'text-anchor': 'end'}, T(opts.lossLabel));
      }
      el(loss.area, 'path', {class: 'curve', d: path(loss.sx, loss.sy, run.curve.epoch, ys)});
      marker = el(loss.g, 'circle', {class: 'marker', r: 5, id: `${id}-marker`});
      line = x;
      update();
    }
    function update() {
      const k = +slider.value, w = run.w[k], b = run.b[k];
      if (opts.line) {
        Object.assign(plotted.dataset, {x1: line[0], x2: line[1]});
        for (const [a, xv] of [['1', line[0]], ['2', line[1]]]) {
          plotted.setAttribute(`x${a}`, px(fit.sx(xv)));
          plotted.setAttribute(`y${a}`, px(fit.sy(model(w, b, xv))));
        }
      } else {
        const xs = Array.from({length: 121}, (_, i) => line[0] + (line[1] - line[0]) * i / 120);
        plotted.setAttribute('d', path(fit.sx, fit.sy, xs, xs.map(xv => model(w, b, xv))));
      }
      marker.setAttribute('cx', px(loss.sx(run.epoch[k])));
      marker.setAttribute('cy', px(loss.sy(run.loss[k])));
      readout($(`${id}-readout`), [[Page.t('common.epoch'), String(run.epoch[k]), `${id}-epoch`],
        ['w', num(w, 4), `${id}-w`], ['b', num(b, 4), `${id}-b`], [Page.t('common.loss'), sig(run.loss[k], 6), `${id}-loss-value`]]);
    }
    slider.addEventListener('input', update);
    Page.onLang(draw);
  }

  const R = D.regression, S = D.sigmoid;
  runPanel('reg', R, (w, b, x) => w * x + b, {
    line: true, log: true, y: run => run.plot.y,
    reference: (fit, x) => path(fit.sx, fit.sy, x, x.map(v => R.least_squares.w * v + R.least_squares.b)),
    referenceLabel: 'page.least_squares', lossLine: R.least_squares.loss, lossLabel: 'page.least_squares'});
  runPanel('sig', S, (w, b, x) => 1 / (1 + Math.exp(-(w * x + b))), {
    log: false, y: run => run.plot.y_with_line || run.plot.y,
    reference: (fit, x) => path(fit.sx, fit.sy, x, x.map(v => S.line_fit.w * v + S.line_fit.b)),
    referenceLabel: 'page.best_line', lossLine: S.line_fit.loss, lossLabel: 'page.line_loss'});

  // Activations: pick one; the function, its derivative and a cursor that reads both.
  const A = D.activations;
  let chosen = A.names[0];
  const actSlider = $('act-slider');
  actSlider.max = A.x.length - 1;
  actSlider.value = A.x.indexOf(0) >= 0 ? A.x.indexOf(0) : Math.floor(A.x.length / 2);
  let actPlot;
  function drawActivation() {
    const T = Page.t;
    const names = $('act-names');
    names.replaceChildren(...A.names.map(n => {
      const b = document.createElement('button');
      b.type = 'button'; b.dataset.name = n; b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', String(n === chosen));
      b.textContent = T(`activations.name_${n}`);
      b.addEventListener('click', () => { chosen = n; drawActivation(); });
      return b;
    }));
    actPlot = axes($('act-plot'), range(A.plot.x, A.x), range(A.plot.y, A.f[chosen]), ['x', '']);
    el(actPlot.area, 'path', {class: 'curve', d: path(actPlot.sx, actPlot.sy, A.x, A.f[chosen])});
    el(actPlot.area, 'path', {class: 'derivative', d: path(actPlot.sx, actPlot.sy, A.x, A.d[chosen])});
    const key = el(actPlot.g, 'g', {class: 'legend'});
    el(key, 'line', {class: 'curve', x1: actPlot.box[0] + 10, x2: actPlot.box[0] + 34, y1: 28, y2: 28});
    el(key, 'text', {x: actPlot.box[0] + 40, y: 32}, T('activations.function'));
    el(key, 'line', {class: 'derivative', x1: actPlot.box[0] + 10, x2: actPlot.box[0] + 34, y1: 46, y2: 46});
    el(key, 'text', {x: actPlot.box[0] + 40, y: 50}, T('activations.derivative'));
    el(actPlot.g, 'line', {class: 'cursor', id: 'act-cursor', y1: actPlot.box[2], y2: actPlot.box[3]});
    el(actPlot.g, 'circle', {class: 'marker', id: 'act-dot-f', r: 4});
    el(actPlot.g, 'circle', {class: 'marker derivative-dot', id: 'act-dot-d', r: 4});
    moveCursor();
  }
  function moveCursor() {
    const i = +actSlider.value, x = A.x[i], f = A.f[chosen][i], d = A.d[chosen][i];
    for (const a of ['x1', 'x2']) $('act-cursor').setAttribute(a, px(actPlot.sx(x)));
    $('act-dot-f').setAttribute('cx', px(actPlot.sx(x))); $('act-dot-f').setAttribute('cy', px(actPlot.sy(f)));
    $('act-dot-d').setAttribute('cx', px(actPlot.sx(x))); $('act-dot-d').setAttribute('cy', px(actPlot.sy(d)));
    readout($('act-readout'), [['x', num(x, 2), 'act-x'], [Page.t(`activations.name_${chosen}`), num(f, 3), 'act-f'],
      [Page.t('activations.derivative'), num(d, 3), 'act-d']]);
  }
  actSlider.addEventListener('input', moveCursor);
  $('act-plot').addEventListener('pointermove', e => {
    const m = actPlot.g.getScreenCTM();
    if (!m) return;
    const x = (e.clientX - m.e) / m.a;
    const v = A.x[0] + (x - actPlot.box[0]) / (actPlot.box[1] - actPlot.box[0]) * (A.x[A.x.length - 1] - A.x[0]);
    actSlider.value = Math.round((v - A.x[0]) / (A.x[1] - A.x[0]));
    moveCursor();
  });
  Page.onLang(drawActivation);

  // Zig-zag: both paths on their loss contours, stepped together; each step's sign pattern.
  const Z = D.zigzag, zigSlider = $('zig-slider');
  zigSlider.max = Z.sigmoid.step.length - 1;
  const zig = {};
  function drawZig(name) {
    const z = Z[name];
    const p = axes($(`zig-${name}`), z.extent.w0, z.extent.w1, ['w0', 'w1']);
    const contours = el(p.area, 'g', {class: 'contours',
      transform: `matrix(${p.sx(1) - p.sx(0)} 0 0 ${p.sy(1) - p.sy(0)} ${p.sx(0)} ${p.sy(0)})`});
    z.contours.forEach((c, i) => el(contours, 'path', {d: c.d, 'stroke-opacity': (0.9 - 0.6 * i / z.contours.length).toFixed(2)}));
    el(p.g, 'path', {class: 'star', d: `M${px(p.sx(z.w_star[0])) - 6},${px(p.sy(z.w_star[1])) - 6}l12,12m0,-12l-12,12`});
    zig[name] = {p, trail: el(p.area, 'path', {class: 'trail'}), last: el(p.g, 'line', {class: 'last'}),
      dot: el(p.g, 'circle', {class: 'marker', r: 5})};
  }
  const sign = v => (v > 0 ? '+' : v < 0 ? '−' : '0');
  function stepZig() {
    const k = +zigSlider.value;
    for (const name of ['sigmoid', 'centred']) {
      const z = Z[name], {p, trail, last, dot} = zig[name];
      trail.setAttribute('d', path(p.sx, p.sy, z.w0.slice(0, k + 1), z.w1.slice(0, k + 1)));
      dot.setAttribute('cx', px(p.sx(z.w0[k]))); dot.setAttribute('cy', px(p.sy(z.w1[k])));
      const j = Math.max(0, k - 1), d0 = z.w0[k] - z.w0[j], d1 = z.w1[k] - z.w1[j];
      Object.entries({x1: p.sx(z.w0[j]), y1: p.sy(z.w1[j]), x2: p.sx(z.w0[k]), y2: p.sy(z.w1[k])}).forEach(([a, v]) => last.setAttribute(a, px(v)));
      last.setAttribute('class', `last ${k && sign(d0) === sign(d1) ? 'same' : 'mixed'}`);
      const dl = $(`zig-${name}-readout`);
      readout(dl, [[Page.t('page.step'), `${z.step[k]}`, `zig-${name}-step`], ['w0, w1', `${num(z.w0[k], 3)}, ${num(z.w1[k], 3)}`],
        [Page.t('common.loss'), sig(z.loss[k], 4)], [Page.t('page.signs'), k ? `(${sign(d0)}, ${sign(d1)})` : '–', `zig-${name}-signs`],
        ['', Page.fill(Page.t('page.same_sign'), {n: z.same_sign[k], k: z.step[k]})],
        ['', Page.fill(Page.t('page.reached'), {target: z.target_loss, steps: z.steps_to_target})]]);
      dl.querySelectorAll('dd')[3].className = k ? (sign(d0) === sign(d1) ? 'same' : 'mixed') : '';
    }
  }
  let timer = null;
  const stop = () => { clearInterval(timer); timer = null; $('zig-play').textContent = Page.t('page.play'); };
  $('zig-prev').addEventListener('click', () => { stop(); zigSlider.value = +zigSlider.value - 1; stepZig(); });
  $('zig-next').addEventListener('click', () => { stop(); zigSlider.value = +zigSlider.value + 1; stepZig(); });
  $('zig-play').addEventListener('click', () => {
    if (timer) return stop();
    if (+zigSlider.value >= +zigSlider.max) zigSlider.value = 0;
    $('zig-play').textContent = Page.t('page.pause');
    timer = setInterval(() => { zigSlider.value = +zigSlider.value + 1; stepZig(); if (+zigSlider.value >= +zigSlider.max) stop(); }, 60);
  });
  zigSlider.addEventListener('input', () => { stop(); stepZig(); });
  Page.onLang(() => { drawZig('sigmoid'); drawZig('centred'); stepZig(); if (timer) $('zig-play').textContent = Page.t('page.pause'); });
})();
