// 办件查询: an el-table whose header and body are two <table>s, filled by a request after the page is shown, ten
// rows a page under an el-pagination, searched without a page load. A newer request wins over a slower older one.

import { button, h } from "./dom.js";
import { call } from "./feedback.js";

const PAGE_SIZE = 10;
const PAGER_COUNT = 7; // Element's default: at most seven page numbers, the rest behind "…"
const TABLE_LATE_MS = 400; // the list arrives after the frame, as it does from a real back end
const ACTION = "操作";
const WEIGHTS = { applicationNo: 18, reference: 12, licenceNo: 17, matterName: 16, status: 9, submittedAt: 18, opinion: 14, decidedAt: 18, action: 7 };

const root = document.getElementById("affairs");
const config = JSON.parse(root.dataset.config);
const keyword = document.querySelector(".search-form input");
const state = { page: 1, keyword: "", asked: 0 };
const columns = [...config.columns, { label: ACTION, prop: "action" }];
const headerTable = h("table", { cellspacing: "0", cellpadding: "0", border: "0", class: "el-table__header" });
const bodyTable = h("table", { cellspacing: "0", cellpadding: "0", border: "0", class: "el-table__body" });
const bodyWrapper = h("div", { class: "el-table__body-wrapper is-scrolling-none" }, [bodyTable]);
const mask = h("div", { class: "el-loading-mask" }, [h("div", { class: "el-loading-spinner" }, [h("i", { class: "el-icon-loading" }), h("p", { class: "el-loading-text", text: "加载中" })])]);
const table = h("div", { class: "el-table el-table--fit el-table--border el-table--enable-row-hover el-table--enable-row-transition el-table--small" }, [
  h("div", { class: "el-table__header-wrapper" }, [headerTable]),
  bodyWrapper,
  mask,
]);
const pagination = h("div", { class: "el-pagination is-background" });

function colgroup() {
  const total = Object.values(WEIGHTS).reduce((sum, weight) => sum + weight, 0);
  const width = table.clientWidth;
  return h("colgroup", {}, columns.map((column, i) => h("col", { name: `el-table_1_column_${i + 1}`, width: String(Math.floor((width * WEIGHTS[column.prop]) / total)) })));
}

function drawHeader() {
  const cells = columns.map((column, i) => h("th", { colspan: "1", rowspan: "1", class: `el-table_1_column_${i + 1} is-leaf` }, [h("div", { class: "cell", text: column.label })]));
  headerTable.replaceChildren(colgroup(), h("thead", { class: "has-gutter" }, [h("tr", {}, cells)]));
}

function cell(column, row) {
  if (column.prop === "action") return button("查看", "el-button--text el-button--small", () => window.location.assign(`/web/affairs/${row.applicationNo}`));
  if (column.prop === "status") return h("span", { class: `el-tag el-tag--${config.statusTags[row.status] ?? "info"} el-tag--small el-tag--light`, text: row.status });
  return row[column.prop];
}

function drawRows(rows) {
  const lines = rows.map((row, r) => h("tr", { class: `el-table__row${r % 2 ? " el-table__row--striped" : ""}` }, columns.map((column, i) => (
    h("td", { rowspan: "1", colspan: "1", class: `el-table_1_column_${i + 1}` }, [h("div", { class: "cell" }, [cell(column, row)])])
  ))));
  bodyTable.replaceChildren(colgroup(), h("tbody", {}, lines));
  bodyWrapper.querySelector(".el-table__empty-block")?.remove();
  if (!rows.length) bodyWrapper.append(h("div", { class: "el-table__empty-block" }, [h("span", { class: "el-table__empty-text", text: "暂无数据" })]));
}

function pagerNumbers(current, count) {
  // Element's pager: first and last always, five around the current page, "…" where pages are left out
  if (count <= PAGER_COUNT) return Array.from({ length: count }, (_, i) => i + 1);
  const half = (PAGER_COUNT - 1) / 2;
  const before = current > PAGER_COUNT - half;
  const after = current < count - half;
  const start = !before ? 2 : !after ? count - (PAGER_COUNT - 2) : current - (half - 1);
  const middle = Array.from({ length: PAGER_COUNT - 2 }, (_, i) => start + i);
  return [1, ...(before ? ["prev"] : []), ...middle, ...(after ? ["next"] : []), count];
}

function drawPager(total) {
  const count = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const go = (page) => { state.page = Math.min(Math.max(page, 1), count); load(); };
  const numbers = pagerNumbers(state.page, count).map((entry) => (typeof entry === "number"
    ? h("li", { class: `number${entry === state.page ? " active" : ""}`, text: String(entry), onclick: () => go(entry) })
    : h("li", { class: `el-icon more btn-quick${entry} el-icon-more`, onclick: () => go(state.page + (entry === "next" ? 1 : -1) * (PAGER_COUNT - 2)) })));
  const jump = h("input", { type: "number", autocomplete: "off", min: "1", max: String(count), class: "el-input__inner", onchange: (event) => go(Number(event.target.value) || 1) });
  pagination.replaceChildren(
    h("span", { class: "el-pagination__total", text: `共 ${total} 条` }),
    h("button", { type: "button", class: "btn-prev", disabled: state.page === 1, onclick: () => go(state.page - 1) }, [h("i", { class: "el-icon el-icon-arrow-left" })]),
    h("ul", { class: "el-pager" }, numbers),
    h("button", { type: "button", class: "btn-next", disabled: state.page === count, onclick: () => go(state.page + 1) }, [h("i", { class: "el-icon el-icon-arrow-right" })]),
    h("span", { class: "el-pagination__jump" }, ["前往", h("div", { class: "el-input el-input--small el-pagination__editor is-in-pagination" }, [jump]), "页"]),
  );
}

async function load() {
  state.asked += 1;
  const asked = state.asked;
  mask.style.display = "";
  const query = new URLSearchParams({ keyword: state.keyword, pageNum: String(state.page), pageSize: String(PAGE_SIZE) });
  const answer = await call(`/web/api/affairs?${query}`);
  if (asked !== state.asked) return; // a newer search was made meanwhile
  mask.style.display = "none";
  if (!answer) return;
  drawRows(answer.rows);
  drawPager(answer.total);
}

function search(text) {
  keyword.value = text;
  state.keyword = text.trim();
  state.page = 1;
  load();
}

root.append(table, pagination);
drawHeader();
drawRows([]);
document.querySelector(".search-button").addEventListener("click", () => search(keyword.value));
document.querySelector(".reset-button").addEventListener("click", () => search(""));
keyword.addEventListener("keyup", (event) => event.key === "Enter" && search(keyword.value));
document.querySelector(".search-form").addEventListener("submit", (event) => event.preventDefault()); // one input: Enter would submit
setTimeout(load, TABLE_LATE_MS);
