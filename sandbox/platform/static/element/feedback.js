// What the pages say back: Element's messages (toasts that go by themselves), its confirmation box, and the calls to
// the back end with their answers turned into messages.

import { afterLeave, button, h, nextZIndex } from "./dom.js";

const MESSAGE_MS = 3000; // Element's default duration: the message is gone three seconds later
const MESSAGE_TOP = 20;
const MESSAGE_GAP = 16;
const RELOGIN_MS = 1500; // long enough to read why, then the login page
const LOGIN_PATH = "/uc/login";
const shown = [];

export function message(text, type = "error") {
  const box = h("div", { role: "alert", class: `el-message el-message--${type}` }, [
    h("i", { class: `el-message__icon el-icon-${type}` }),
    h("p", { class: "el-message__content", text }),
  ]);
  const top = shown.reduce((offset, other) => offset + other.offsetHeight + MESSAGE_GAP, MESSAGE_TOP);
  box.style.cssText = `top: ${top}px; z-index: ${nextZIndex()};`;
  document.body.append(box);
  shown.push(box);
  setTimeout(() => dismiss(box), MESSAGE_MS);
}

function dismiss(box) {
  const index = shown.indexOf(box);
  shown.splice(index, 1);
  for (const later of shown.slice(index)) {
    later.style.top = `${parseInt(later.style.top, 10) - box.offsetHeight - MESSAGE_GAP}px`;
  }
  box.classList.add("el-message-fade-leave-active", "el-message-fade-leave-to");
  afterLeave(box);
}

export function confirm({ title, message: text, ok, cancel }) {
  // MessageBox.confirm: resolves true for 确定, false for 取消, the close button, Escape or a click beside the box
  return new Promise((resolve) => {
    const modal = h("div", { class: "v-modal", tabindex: "0", style: `z-index: ${nextZIndex()};` });
    const answer = (yes) => {
      document.removeEventListener("keydown", onEscape);
      wrapper.classList.add("msgbox-fade-leave-active");
      afterLeave(wrapper);
      modal.remove();
      resolve(yes);
    };
    const onEscape = (event) => event.key === "Escape" && answer(false);
    const wrapper = h("div", {
      class: "el-message-box__wrapper",
      tabindex: "-1",
      role: "dialog",
      "aria-modal": "true",
      "aria-label": title,
      style: `z-index: ${nextZIndex()};`,
      onclick: (event) => event.target === wrapper && answer(false),
    }, [h("div", { class: "el-message-box" }, [
      boxHeader(title, () => answer(false)),
      h("div", { class: "el-message-box__content" }, [h("div", { class: "el-message-box__container" }, [
        h("div", { class: "el-message-box__status el-icon-warning" }),
        h("div", { class: "el-message-box__message" }, [h("p", { text })]),
      ])]),
      h("div", { class: "el-message-box__btns" }, [
        button(cancel, "el-button--default el-button--small", () => answer(false)),
        button(ok, "el-button--default el-button--small el-button--primary", () => answer(true)),
      ]),
    ])]);
    document.addEventListener("keydown", onEscape);
    document.body.append(modal, wrapper);
    wrapper.querySelector(".el-button--primary").focus();
  });
}

function boxHeader(title, onclose) {
  return h("div", { class: "el-message-box__header" }, [
    h("div", { class: "el-message-box__title" }, [h("span", { text: title })]),
    h("button", { type: "button", class: "el-message-box__headerbtn", "aria-label": "Close", onclick: onclose }, [
      h("i", { class: "el-message-box__close el-icon-close" }),
    ]),
  ]);
}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

export async function call(url, body) {
  // GET without a body, POST JSON with one. Resolves to the answer's data, or to null once the refusal or failure
  // has been shown in a message.
  const init = body === undefined
    ? { credentials: "same-origin" }
    : { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() }, body: JSON.stringify(body) };
  return send(url, init);
}

export async function sendFile(url, file) {
  // el-upload's request: the file alone, as multipart form data; resolves as `call` does
  const body = new FormData();
  body.append("file", file);
  return send(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrfToken() }, body });
}

async function send(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    message("网络连接异常，请稍后重试");
    return null;
  }
  const answer = await response.json().catch(() => null);
  return answer ? answered(response.status, answer) : failed(response.status);
}

function answered(status, answer) {
  if (status === 401) {
    message(answer.msg, "warning");
    const back = encodeURIComponent(window.location.pathname + window.location.search);
    setTimeout(() => window.location.assign(`${LOGIN_PATH}?redirect=${back}`), RELOGIN_MS);
    return null;
  }
  if (answer.code !== 200) {
    message(answer.msg);
    return null;
  }
  return answer.data ?? {};
}

function failed(status) {
  message(`服务器异常（${status}），请稍后重试`);
  return null;
}
