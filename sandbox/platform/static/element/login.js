// The login card: both items are required here (said inline), then the back end decides; a refusal is a message.

import { loading } from "./dom.js";
import { call, message } from "./feedback.js";

const form = document.querySelector(".login-form");
const [username, password] = form.querySelectorAll("input.el-input__inner");
const submit = form.querySelector(".login-button");

function required(input) {
  const item = input.closest(".el-form-item");
  const content = item.querySelector(".el-form-item__content");
  content.querySelector(".el-form-item__error")?.remove();
  item.classList.toggle("is-error", !input.value);
  if (!input.value) content.append(Object.assign(document.createElement("div"), { className: "el-form-item__error", textContent: input.placeholder }));
  return Boolean(input.value);
}

async function logIn() {
  if (![username, password].map(required).every(Boolean)) return;
  loading(submit, true);
  const answer = await call("/uc/api/login", { username: username.value, password: password.value, redirect: form.dataset.redirect });
  loading(submit, false);
  if (answer) window.location.assign(answer.redirect);
}

submit.addEventListener("click", logIn);
form.addEventListener("keyup", (event) => event.key === "Enter" && logIn());
if (form.dataset.expired) message(form.dataset.expired, "warning");
