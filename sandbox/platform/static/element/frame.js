// The logged-in frame: 安全退出 in the header.

import { call } from "./feedback.js";

document.querySelector(".logout-button").addEventListener("click", async () => {
  const answer = await call("/uc/api/logout", {});
  if (answer) window.location.assign(answer.redirect);
});
