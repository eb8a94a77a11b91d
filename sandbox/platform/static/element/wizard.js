// The single-page wizard: one el-form per step, 下一步 checks the step here (required items, said inline and in a
// message), then posts it; the server's refusal comes back as a message and the step stays. 提 交 posts the last
// step, asks in a MessageBox, then submits and shows the result in place. No page loads until the user leaves.

import { button, h, loading } from "./dom.js";
import { call, confirm, message } from "./feedback.js";
import * as widgets from "./widgets.js";

const LABEL_WIDTH = 200;
const HOME = "/web/affairs"; // the front end's route to 办件查询
const VERBS = { text: "请输入", tel: "请输入", textarea: "请输入", checkbox: "请勾选", file: "请上传" }; // the rest: 请选择
const UPLOAD_TIP = "只能上传PDF文件，且不超过5MB";

const root = document.getElementById("wizard");
const config = JSON.parse(root.dataset.config);
const state = { step: 0, draftId: null };

function widgetFor(control) {
  switch (control.kind) {
    case "select":
    case "remote_select": return widgets.select("请选择", control.options, control.source);
    case "date": return widgets.datePicker("选择日期");
    case "radio": return widgets.radioGroup(control.options);
    case "checkboxes": return widgets.checkboxGroup(control.options);
    case "checkbox": return widgets.checkbox(control.label);
    case "cascader": return widgets.cascader("请选择省/市/县", config.regions);
    case "textarea": return widgets.textarea(`请输入${control.label}`);
    case "file": return widgets.upload(UPLOAD_TIP);
    default: return widgets.textInput(`请输入${control.label}`);
  }
}

function formItem(item) {
  const controls = item.controls.map((control) => ({ control, widget: widgetFor(control) }));
  const content = h("div", { class: "el-form-item__content", style: `margin-left: ${LABEL_WIDTH}px;` }, controls.map(({ widget }) => widget.el));
  const label = item.label ? h("label", { class: "el-form-item__label", style: `width: ${LABEL_WIDTH}px;`, text: item.label }) : null;
  const el = h("div", { class: `el-form-item el-form-item--small${item.required ? " is-required" : ""}` }, [label, content]);
  const problem = () => {
    const bad = controls.find(({ control, widget }) => control.required && widget.empty());
    return bad ? `${VERBS[bad.control.kind] ?? "请选择"}${bad.control.label}` : "";
  };
  const say = (text) => {
    el.classList.toggle("is-error", Boolean(text));
    content.querySelector(".el-form-item__error")?.remove();
    if (text) content.append(h("div", { class: "el-form-item__error", text }));
  };
  for (const { widget } of controls) widget.onchange(() => el.classList.contains("is-error") && say(problem()));
  return { el, controls, validate: () => { const text = problem(); say(text); return text; } };
}

function stepValues(items) {
  const values = {};
  for (const { control, widget } of items.flatMap((item) => item.controls)) {
    const value = widget.value();
    values[control.name] = control.name in values ? values[control.name] + value : value; // an address in parts is one text
  }
  return values;
}

const items = config.steps.map((step) => step.items.map(formItem));
const panels = config.steps.map((step, i) => h("form", { class: "el-form el-form--label-right", style: "display: none;", onsubmit: (event) => event.preventDefault() }, [
  h("div", { class: "el-divider el-divider--horizontal" }, [h("div", { class: "el-divider__text is-left", text: step.title })]),
  ...items[i].map((item) => item.el),
]));
const stepsBar = h("div", { class: "el-steps el-steps--horizontal" }, config.steps.map((step, i) => h("div", { class: "el-step is-horizontal is-center" }, [
  h("div", { class: "el-step__head" }, [
    h("div", { class: "el-step__line" }, [h("i", { class: "el-step__line-inner" })]),
    h("div", { class: "el-step__icon is-text" }, [h("div", { class: "el-step__icon-inner", text: String(i + 1) })]),
  ]),
  h("div", { class: "el-step__main" }, [h("div", { class: "el-step__title", text: step.title })]),
])));
const prev = button(config.buttons.prev, "el-button--default", () => show(state.step - 1));
const next = button(config.buttons.next, "el-button--primary", forward);
const submit = button(config.buttons.submit, "el-button--primary", forward);
const body = h("div", { class: "wizard-body" }, [...panels, h("div", { class: "wizard-footer" }, [prev, next, submit])]);

function markSteps(current, done) {
  stepsBar.querySelectorAll(".el-step").forEach((step, i) => {
    const status = done ? "is-success" : i < current ? "is-finish" : i === current ? "is-process" : "is-wait";
    for (const part of step.querySelectorAll(".el-step__head, .el-step__title")) part.className = part.className.replace(/ is-\w+$/, "") + ` ${status}`;
  });
}

function show(number) {
  state.step = number;
  panels.forEach((panel, i) => { panel.style.display = i === number ? "" : "none"; });
  const last = number === panels.length - 1;
  prev.style.display = number === 0 ? "none" : "";
  next.style.display = last ? "none" : "";
  submit.style.display = last ? "" : "none";
  markSteps(number, false);
  window.scrollTo(0, 0);
}

async function forward(event) {
  const clicked = event.currentTarget;
  const current = state.step;
  const problems = items[current].map((item) => item.validate()).filter(Boolean);
  if (problems.length) return message(problems[0], "warning");
  loading(clicked, true);
  const saved = await call(`/web/api/apply/${config.code}/steps/${current + 1}`, { draftId: state.draftId, form: stepValues(items[current]) });
  loading(clicked, false);
  if (!saved) return;
  state.draftId = saved.draftId;
  if (current < panels.length - 1) show(current + 1);
  else await submitDraft();
}

async function submitDraft() {
  if (!(await confirm(config.confirm))) return;
  loading(submit, true);
  const done = await call(`/web/api/apply/${config.code}/submit`, { draftId: state.draftId });
  loading(submit, false);
  if (done) showResult(done);
}

function successIcon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 48 48");
  svg.setAttribute("class", "icon-success");
  svg.innerHTML = '<circle cx="24" cy="24" r="20"/><path d="M14 24.5l7 7 13-14" fill="none" stroke="#fff" stroke-width="4"/>';
  return svg;
}

function showResult(done) {
  markSteps(panels.length, true);
  body.replaceChildren(h("div", { class: "el-result" }, [
    h("div", { class: "el-result__icon" }, [successIcon()]),
    h("div", { class: "el-result__title" }, [h("p", { text: config.result.title })]),
    h("div", { class: "el-result__subtitle" }, [h("p", { text: `${config.result.number}：${done.applicationNo}` })]),
    h("div", { class: "el-result__extra" }, [
      h("p", { class: "result-facts", text: `状态：${done.status}　承诺时限：${done.promisedBy}` }),
      button(config.result.link, "el-button--primary el-button--small", () => window.location.assign(HOME)),
    ]),
  ]));
}

root.append(stepsBar, body);
show(0);
