/* Portal helpers (no dependencies): copy-to-clipboard and print buttons. */
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "absolute";
      area.style.left = "-9999px";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy") ? resolve() : reject(); } catch (e) { reject(e); }
      document.body.removeChild(area);
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy],[data-print]");
    if (!button) { return; }
    if (button.hasAttribute("data-print")) { window.print(); return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    copyText(source.value || source.textContent).then(function () {
      if (status) { status.textContent = "已复制，可粘贴到微信群。"; }
    }, function () {
      source.focus(); source.select();
      if (status) { status.textContent = "请按 Ctrl+C（手机长按）复制已选中的文字。"; }
    });
  });
})();
