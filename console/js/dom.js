// Small DOM helpers: elements are built with createElement and textContent only (never
// innerHTML), so nothing the API returns can become markup, and no style attribute is written.

/** h('tag.class#id', {attr: value, onclick: fn}, ...children) */
export function h(spec, attrs = {}, ...children) {
  const [tagAndClasses, id] = spec.split('#');
  const [tag, ...classes] = tagAndClasses.split('.');
  const el = document.createElement(tag || 'div');
  if (id) el.id = id;
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'value') {
      el.value = value;
    } else if (key === 'checked') {
      el.checked = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A labelled form control: <label>text <control></label>. */
export function field(label, control, hint) {
  return h('label.field', {}, h('span.label', {}, label), control, hint ? h('span.hint', {}, hint) : null);
}

/** <select> with [value, text] options. */
export function select(attrs, options, selected) {
  const el = h('select', attrs);
  for (const [value, text] of options) {
    el.append(h('option', { value, selected: String(value) === String(selected) }, text));
  }
  return el;
}

/**
 * A table from column definitions {title, value(row) → Node|string, className?} and rows;
 * `rowAttrs(row)` gives each <tr>'s attributes. Wrapped so that it scrolls on a narrow screen.
 */
export function table(columns, rows, { rowAttrs, caption, empty = '暂无数据' } = {}) {
  const head = h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.className }, c.title)));
  const body = rows.length
    ? rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {}, columns.map((c) => h('td', { class: c.className }, c.value(row)))))
    : [h('tr', {}, h('td.empty', { colspan: columns.length }, empty))];
  return h('div.table-wrap', {}, h('table', {}, caption ? h('caption', {}, caption) : null, h('thead', {}, head), h('tbody', {}, body)));
}

/** A status line for an action's progress, result or error (announced to screen readers). */
export function statusLine(id) {
  return h('p.status', { id, role: 'status', 'aria-live': 'polite' });
}

/**
 * Runs `work` for a button: disables it, shows progress in `status`, then the result (the
 * string `work` returns) or the error's detail. Returns the work's result, or undefined on error.
 */
export async function run(button, status, busyText, work) {
  if (button) button.disabled = true;
  if (status) {
    status.className = 'status busy';
    status.textContent = busyText;
  }
  try {
    const result = await work();
    if (status) {
      status.className = 'status ok';
      status.textContent = typeof result === 'string' ? result : '';
    }
    return result ?? true;
  } catch (err) {
    if (status) {
      status.className = 'status error';
      status.textContent = errorText(err);
    }
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** The text shown for an error: the problem's detail, else a generic message. */
export function errorText(err) {
  if (err && err.detail) return err.detail;
  if (err && err.name === 'TypeError') return '无法连接服务，请检查网络后重试。';
  return (err && err.message) || '操作失败，请重试。';
}
