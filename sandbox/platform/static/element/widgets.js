// Element's form controls, each as { el, value(), empty(), onchange(fn) }: el-input, el-select (its list appended to
// <body>, remote options a moment late), el-date-picker (read-only, picked in a panel), el-cascader, el-radio-group
// and el-checkbox(-group) with their native inputs hidden behind the visible label, el-upload (its native file input
// hidden, the file sent at once, listed with a success mark once the server has it).

import { button, close, closeOnClickOutside, h, isOpen, openUnder, popper } from "./dom.js";
import { message, sendFile } from "./feedback.js";

const OPTIONS_LATE_MS = 600; // such lists come from a dictionary service, after the form is on screen
const UPLOAD_LATE_MS = 600; // a file service scans the file before it answers
const UPLOAD_URL = "/web/api/file/upload";
const WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];
const MONTHS = ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"];

function listeners() {
  const all = [];
  return { add: (fn) => all.push(fn), fire: () => all.forEach((fn) => fn()) };
}

function suffixIcon(className) {
  return h("span", { class: "el-input__suffix" }, [h("span", { class: "el-input__suffix-inner" }, [h("i", { class: `el-input__icon ${className}` })])]);
}

export function textInput(placeholder) {
  const field = h("input", { type: "text", autocomplete: "off", placeholder, class: "el-input__inner" });
  const changed = listeners();
  field.addEventListener("input", changed.fire);
  return { el: h("div", { class: "el-input el-input--small" }, [field]), value: () => field.value.trim(), empty: () => !field.value.trim(), onchange: changed.add };
}

export function textarea(placeholder) {
  const field = h("textarea", { autocomplete: "off", placeholder, rows: "3", class: "el-textarea__inner" });
  return { el: h("div", { class: "el-textarea el-input--small" }, [field]), value: () => field.value.trim(), empty: () => !field.value.trim(), onchange: () => {} };
}

function readonlyInput(placeholder, rootClass, icon) {
  // The read-only input of a select, a date picker or a cascader: clicking it opens the widget's popper
  const field = h("input", { type: "text", readonly: true, autocomplete: "off", placeholder, class: "el-input__inner" });
  const root = h("div", { class: rootClass }, [field, suffixIcon(icon)]);
  return { field, root };
}

function dropdown(root, panel, render) {
  // Opens `panel` under `root` on a click, closes it on a second click or a click elsewhere
  root.addEventListener("click", () => {
    if (isOpen(panel)) return close(panel);
    render();
    openUnder(panel, root);
    root.classList.add("is-focus");
  });
  closeOnClickOutside(panel, root);
  new MutationObserver(() => root.classList.toggle("is-focus", isOpen(panel))).observe(panel, { attributes: true });
}

export function select(placeholder, options, source) {
  const { field, root } = readonlyInput(placeholder, "el-input el-input--small el-input--suffix", "el-select__caret el-icon-arrow-up");
  const list = h("ul", { class: "el-scrollbar__view el-select-dropdown__list" });
  const scrollbar = h("div", { class: "el-scrollbar" }, [h("div", { class: "el-select-dropdown__wrap el-scrollbar__wrap" }, [list])]);
  const empty = h("p", { class: "el-select-dropdown__empty" });
  const panel = popper("el-select-dropdown", [scrollbar, empty]);
  const changed = listeners();
  const state = { chosen: null, options: source ? null : options };
  const render = () => {
    list.replaceChildren(...(state.options || []).map((option) => h("li", {
      class: `el-select-dropdown__item${state.chosen === option ? " selected" : ""}`,
      onmouseenter: (event) => event.currentTarget.classList.add("hover"),
      onmouseleave: (event) => event.currentTarget.classList.remove("hover"),
      onclick: () => { state.chosen = option; field.value = option.label; close(panel); changed.fire(); },
    }, [h("span", { text: option.label })])));
    empty.textContent = state.options ? "无数据" : "加载中";
    scrollbar.style.display = state.options?.length ? "" : "none";
    empty.style.display = state.options?.length ? "none" : "";
  };
  if (source) loadOptions(source).then((loaded) => { state.options = loaded; render(); }).catch(() => { state.options = []; render(); message("选项加载失败，请刷新页面重试"); });
  dropdown(root, panel, render);
  return { el: h("div", { class: "el-select el-select--small" }, [root]), value: () => state.chosen?.value ?? "", empty: () => !state.chosen, onchange: changed.add };
}

async function loadOptions(source) {
  await new Promise((resolve) => setTimeout(resolve, OPTIONS_LATE_MS));
  const response = await fetch(source, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`options: ${response.status}`);
  return (await response.json()).items.map((item) => ({ value: item, label: item }));
}

export function datePicker(placeholder) {
  const { field, root } = readonlyInput(placeholder, "el-date-editor el-input el-input--small el-input--prefix el-input--suffix el-date-editor--date", "");
  root.insertBefore(h("span", { class: "el-input__prefix" }, [h("i", { class: "el-input__icon el-icon-date" })]), field.nextSibling);
  const body = h("div", { class: "el-picker-panel__body" });
  const panel = popper("el-picker-panel el-date-picker", [h("div", { class: "el-picker-panel__body-wrapper" }, [body])]);
  const changed = listeners();
  const today = new Date();
  const state = { value: "", year: today.getFullYear(), month: today.getMonth(), view: "date" };
  const pick = (year, month, day) => {
    state.value = [year, String(month + 1).padStart(2, "0"), String(day).padStart(2, "0")].join("-");
    field.value = state.value;
    close(panel);
    changed.fire();
  };
  const render = () => body.replaceChildren(pickerHeader(state, render), pickerContent(state, render, pick));
  dropdown(root, panel, () => { state.view = "date"; render(); });
  return { el: root, value: () => state.value, empty: () => !state.value, onchange: changed.add };
}

function pickerHeader(state, render) {
  const step = (change) => () => { change(); render(); };
  const years = state.view === "year" ? 10 : 1;
  const shiftMonth = (by) => { const moved = new Date(state.year, state.month + by, 1); state.year = moved.getFullYear(); state.month = moved.getMonth(); };
  const decade = Math.floor(state.year / 10) * 10;
  const yearLabel = state.view === "year" ? `${decade} 年 - ${decade + 9} 年` : `${state.year} 年`;
  const inDate = state.view === "date";
  return h("div", { class: `el-date-picker__header${inDate ? "" : " el-date-picker__header--bordered"}` }, [
    h("button", { type: "button", "aria-label": "前一年", class: "el-picker-panel__icon-btn el-date-picker__prev-btn el-icon-d-arrow-left", onclick: step(() => { state.year -= years; }) }),
    inDate ? h("button", { type: "button", "aria-label": "上个月", class: "el-picker-panel__icon-btn el-date-picker__prev-btn el-icon-arrow-left", onclick: step(() => shiftMonth(-1)) }) : null,
    h("span", { role: "button", class: "el-date-picker__header-label", text: yearLabel, onclick: step(() => { state.view = "year"; }) }),
    inDate ? h("span", { role: "button", class: "el-date-picker__header-label", text: `${state.month + 1} 月`, onclick: step(() => { state.view = "month"; }) }) : null,
    h("button", { type: "button", "aria-label": "后一年", class: "el-picker-panel__icon-btn el-date-picker__next-btn el-icon-d-arrow-right", onclick: step(() => { state.year += years; }) }),
    inDate ? h("button", { type: "button", "aria-label": "下个月", class: "el-picker-panel__icon-btn el-date-picker__next-btn el-icon-arrow-right", onclick: step(() => shiftMonth(1)) }) : null,
  ]);
}

function pickerContent(state, render, pick) {
  const tables = { date: dateTable, year: yearTable, month: monthTable };
  return h("div", { class: "el-picker-panel__content" }, [tables[state.view](state, render, pick)]);
}

function rows(cells, width) {
  const grouped = [];
  for (let i = 0; i < cells.length; i += width) grouped.push(cells.slice(i, i + width));
  return grouped;
}

function yearTable(state, render) {
  const decade = Math.floor(state.year / 10) * 10;
  const cells = Array.from({ length: 10 }, (_, i) => decade + i).map((year) => h("td", {
    class: `available${year === state.year ? " current" : ""}`,
    onclick: () => { state.year = year; state.view = "month"; render(); },
  }, [h("a", { class: "cell", text: String(year) })]));
  return h("table", { class: "el-year-table" }, [
    h("tbody", {}, rows([...cells, h("td"), h("td")], 4).map((row) => h("tr", {}, row))),
  ]);
}

function monthTable(state, render) {
  const cells = MONTHS.map((name, month) => h("td", {
    class: month === state.month ? "current" : "",
    onclick: () => { state.month = month; state.view = "date"; render(); },
  }, [h("div", {}, [h("a", { class: "cell", text: name })])]));
  return h("table", { class: "el-month-table" }, [h("tbody", {}, rows(cells, 4).map((row) => h("tr", {}, row)))]);
}

function dateTable(state, render, pick) {
  // Six weeks from the Sunday on or before the 1st, as Element's zh-CN date table shows them
  const first = new Date(state.year, state.month, 1);
  const start = new Date(state.year, state.month, 1 - first.getDay());
  const today = new Date().toDateString();
  const cells = Array.from({ length: 42 }, (_, i) => {
    const day = new Date(start.getFullYear(), start.getMonth(), start.getDate() + i);
    const key = [day.getFullYear(), String(day.getMonth() + 1).padStart(2, "0"), String(day.getDate()).padStart(2, "0")].join("-");
    const where = day.getMonth() === state.month ? "available" : day < first ? "prev-month" : "next-month";
    const classes = [where, day.toDateString() === today ? "today" : "", key === state.value ? "current" : ""].filter(Boolean);
    return h("td", { class: classes.join(" "), onclick: () => pick(day.getFullYear(), day.getMonth(), day.getDate()) }, [h("div", {}, [h("span", { text: String(day.getDate()) })])]);
  });
  const head = h("tr", {}, WEEKDAYS.map((name) => h("th", { text: name })));
  return h("table", { cellspacing: "0", cellpadding: "0", class: "el-date-table" }, [
    h("tbody", {}, [head, ...rows(cells, 7).map((row) => h("tr", { class: "el-date-table__row" }, row))]),
  ]);
}

export function cascader(placeholder, regions) {
  const { field, root } = readonlyInput(placeholder, "el-input el-input--small el-input--suffix", "el-icon-arrow-down");
  const menus = h("div", { class: "el-cascader-panel" });
  const panel = popper("el-cascader__dropdown", [menus]);
  const changed = listeners();
  const state = { path: [], chosen: [] };
  const choose = (level, name, leaf) => {
    state.path = [...state.path.slice(0, level), name];
    if (leaf) {
      state.chosen = state.path;
      field.value = state.chosen.join(" / ");
      close(panel);
      changed.fire();
    } else render();
  };
  const render = () => menus.replaceChildren(...levels(regions, state.path).map((names, level) => cascaderMenu(names, level, state, choose)));
  dropdown(root, panel, () => { state.path = state.chosen; render(); });
  return { el: h("div", { class: "el-cascader el-cascader--small" }, [root]), value: () => state.chosen.join(""), empty: () => !state.chosen.length, onchange: changed.add };
}

function levels(tree, path) {
  // The names at each level down the browsed path: provinces, then that province's cities, then counties
  const shown = [Object.keys(tree)];
  let node = tree;
  for (const name of path) {
    node = node?.[name];
    if (node && !Array.isArray(node)) shown.push(Object.keys(node));
    else if (Array.isArray(node)) shown.push(node);
  }
  return shown;
}

function cascaderMenu(names, level, state, choose) {
  const leaf = level === 2;
  const items = names.map((name) => {
    const onPath = state.path[level] === name;
    const active = leaf && state.chosen[level] === name && state.chosen.join() === state.path.join();
    return h("li", {
      role: "menuitem",
      tabindex: "-1",
      "aria-haspopup": leaf ? null : "true",
      class: `el-cascader-node${onPath ? " in-active-path" : ""}${active ? " is-active" : ""}`,
      onclick: () => choose(level, name, leaf),
    }, [
      active ? h("i", { class: "el-icon-check el-cascader-node__prefix" }) : null,
      h("span", { class: "el-cascader-node__label", text: name }),
      leaf ? null : h("i", { class: "el-icon-arrow-right el-cascader-node__postfix" }),
    ]);
  });
  return h("div", { class: "el-scrollbar el-cascader-menu", role: "menu" }, [
    h("div", { class: "el-cascader-menu__wrap el-scrollbar__wrap" }, [h("ul", { class: "el-scrollbar__view el-cascader-menu__list" }, items)]),
  ]);
}

function choice(kind, option, role) {
  // <label class="el-radio"> with the native input hidden inside (opacity 0, behind): the label takes the click
  const original = h("input", { type: kind === "radio" ? "radio" : "checkbox", "aria-hidden": kind === "radio" ? "true" : "false", tabindex: kind === "radio" ? "-1" : null, autocomplete: "off", class: `el-${kind}__original`, value: option.value });
  const mark = h("span", { class: `el-${kind}__input` }, [h("span", { class: `el-${kind}__inner` }), original]);
  const label = h("label", { class: `el-${kind}`, role, "aria-checked": role ? "false" : null, tabindex: role ? "0" : null }, [mark, h("span", { class: `el-${kind}__label`, text: option.label })]);
  const show = () => {
    for (const node of [label, mark]) node.classList.toggle("is-checked", original.checked);
    if (role) label.setAttribute("aria-checked", String(original.checked));
  };
  return { label, original, show };
}

export function radioGroup(options) {
  const changed = listeners();
  const choices = options.map((option) => choice("radio", option, "radio"));
  for (const one of choices) {
    one.original.addEventListener("change", () => {
      for (const other of choices) { other.original.checked = other === one; other.show(); }
      changed.fire();
    });
  }
  const picked = () => choices.find((one) => one.original.checked);
  return { el: h("div", { role: "radiogroup", class: "el-radio-group" }, choices.map((one) => one.label)), value: () => picked()?.original.value ?? "", empty: () => !picked(), onchange: changed.add };
}

export function checkboxGroup(options) {
  const changed = listeners();
  const choices = options.map((option) => choice("checkbox", option, null));
  for (const one of choices) one.original.addEventListener("change", () => { one.show(); changed.fire(); });
  const ticked = () => choices.filter((one) => one.original.checked).map((one) => one.original.value);
  return { el: h("div", { role: "group", "aria-label": "checkbox group", class: "el-checkbox-group" }, choices.map((one) => one.label)), value: ticked, empty: () => !ticked().length, onchange: changed.add };
}

export function checkbox(text) {
  const changed = listeners();
  const one = choice("checkbox", { value: "", label: text }, null);
  one.original.addEventListener("change", () => { one.show(); changed.fire(); });
  return { el: one.label, value: () => one.original.checked, empty: () => !one.original.checked, onchange: changed.add };
}

export function upload(tip) {
  // <el-upload :auto-upload="true" accept=".pdf" :limit="1">: 点击上传 clicks the hidden native input; a chosen file
  // is listed at once (is-uploading), sent, then marked is-success, or taken off the list with an error message.
  const input = h("input", { type: "file", name: "file", accept: ".pdf,application/pdf", class: "el-upload__input" });
  const list = h("ul", { class: "el-upload-list el-upload-list--text" });
  const changed = listeners();
  const state = { fileId: null };
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    const item = h("li", { class: "el-upload-list__item is-uploading", tabindex: "0" }, [
      h("a", { class: "el-upload-list__item-name" }, [h("i", { class: "el-icon-document" }), file.name]),
      h("div", { class: "el-progress el-progress--line" }, [h("div", { class: "el-progress-bar__inner" })]),
    ]);
    state.fileId = null;
    list.replaceChildren(item);
    changed.fire();
    await new Promise((resolve) => setTimeout(resolve, UPLOAD_LATE_MS));
    const done = await sendFile(UPLOAD_URL, file);
    input.value = ""; // the same file may be chosen again
    if (!done) return item.remove();
    state.fileId = done.fileId;
    item.className = "el-upload-list__item is-success";
    item.querySelector(".el-progress").replaceWith(h("label", { class: "el-upload-list__item-status-label" }, [h("i", { class: "el-icon-upload-success el-icon-circle-check" })]));
    changed.fire();
  });
  const trigger = button("点击上传", "el-button--primary el-button--small", () => input.click());
  const el = h("div", { class: "upload-file" }, [
    h("div", { tabindex: "0", class: "el-upload el-upload--text" }, [trigger, input]),
    h("div", { class: "el-upload__tip", text: tip }),
    list,
  ]);
  return { el, value: () => state.fileId ?? "", empty: () => !state.fileId, onchange: changed.add };
}
