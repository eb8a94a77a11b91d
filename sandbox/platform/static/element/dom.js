// Building Element UI's markup by hand, and the poppers (select lists, date panels, cascader menus) that Element
// appends to <body> under their input, with z-indexes from one counter shared with dialogs and messages.

let zIndex = 2000; // Element's PopupManager starts here
const LEAVE_MS = 300; // Element's zoom-in-top and fade transitions last 0.3 s

export function nextZIndex() {
  zIndex += 1;
  return zIndex;
}

export function h(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, key); // readonly="readonly", as Vue renders it
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
  }
  node.append(...[].concat(children).filter((child) => child !== null && child !== undefined));
  return node;
}

export function button(text, kind, onclick) {
  return h("button", { type: "button", class: `el-button ${kind}`, onclick }, [h("span", { text })]);
}

export function loading(node, busy) {
  // Element's `loading` button: disabled, with a spinner before its text
  node.disabled = busy;
  node.classList.toggle("is-loading", busy);
  if (busy) node.prepend(h("i", { class: "el-icon-loading" }));
  else node.querySelector(".el-icon-loading")?.remove();
}

export function popper(className, children) {
  return h("div", { class: `${className} el-popper`, "x-placement": "bottom-start", style: "display: none;" }, [
    ...children,
    h("div", { class: "popper__arrow", "x-arrow": "" }),
  ]);
}

export function isOpen(panel) {
  return panel.isConnected && panel.style.display !== "none" && !panel.classList.contains("el-zoom-in-top-leave-active");
}

export function openUnder(panel, reference) {
  if (!panel.isConnected) document.body.append(panel); // created on first use, as Vue mounts it
  const box = reference.getBoundingClientRect();
  panel.style.cssText = `position: absolute; top: ${box.bottom + window.scrollY + 12}px; left: ${box.left + window.scrollX}px; z-index: ${nextZIndex()}; min-width: ${box.width}px;`;
  panel.classList.remove("el-zoom-in-top-leave-active");
}

export function close(panel) {
  if (!isOpen(panel)) return;
  panel.classList.add("el-zoom-in-top-leave-active");
  setTimeout(() => {
    if (panel.classList.contains("el-zoom-in-top-leave-active")) {
      panel.style.display = "none";
      panel.classList.remove("el-zoom-in-top-leave-active");
    }
  }, LEAVE_MS);
}

export function closeOnClickOutside(panel, reference) {
  document.addEventListener("mousedown", (event) => {
    if (!panel.contains(event.target) && !reference.contains(event.target)) close(panel);
  });
}

export function afterLeave(node) {
  setTimeout(() => node.remove(), LEAVE_MS);
}
