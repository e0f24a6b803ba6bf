/* Service-hall screen: show one notice at a time, advance every N seconds, and
   refresh the list from the JSON endpoint every M seconds.  The list is
   rebuilt by replacing the children of <main> (never appended to), holds at
   most what the server sends (capped there), and there is one interval timer
   each, so a screen left on for weeks does not grow.  A full reload once a day
   clears anything the browser itself may keep. */
(function () {
  "use strict";
  var main = document.getElementById("screen");
  var position = document.getElementById("screen-position");
  var dateLine = document.getElementById("screen-date");
  var advance = Math.max(3, parseInt(main.getAttribute("data-advance"), 10) || 15) * 1000;
  var reload = Math.max(30, parseInt(main.getAttribute("data-reload"), 10) || 300) * 1000;
  var index = 0;

  function slides() { return main.querySelectorAll(".notice-slide"); }

  function show(i) {
    var all = slides();
    if (!all.length) { return; }
    index = ((i % all.length) + all.length) % all.length;
    for (var k = 0; k < all.length; k++) {
      all[k].classList.toggle("active", k === index);
    }
    position.textContent = all.length > 1 ? (index + 1) + " / " + all.length : "";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = text; /* text only: no HTML from the server is interpreted */
    return node;
  }

  function render(data) {
    var fragment = document.createDocumentFragment();
    var currentId = (slides()[index] || {}).getAttribute ? slides()[index].getAttribute("data-id") : null;
    var next = 0;
    (data.notices || []).forEach(function (n, i) {
      var article = document.createElement("article");
      article.className = "notice-slide";
      article.setAttribute("data-id", String(n.id));
      article.appendChild(element("h2", "", n.title));
      if (n.number) { article.appendChild(element("p", "slide-number", n.number)); }
      article.appendChild(element("p", "slide-body", n.body));
      article.appendChild(element("p", "slide-period", "公示期：" + n.notice_from + " 至 " + n.notice_to));
      if (String(n.id) === currentId) { next = i; }
      fragment.appendChild(article);
    });
    if (!fragment.childNodes.length) {
      var empty = document.createElement("article");
      empty.className = "notice-slide empty";
      empty.appendChild(element("h2", "", "当前没有处于公示期的信息"));
      fragment.appendChild(empty);
    }
    main.replaceChildren(fragment);
    if (data.today && dateLine) {
      var p = data.today.split("-");
      dateLine.textContent = parseInt(p[0], 10) + "年" + parseInt(p[1], 10) + "月" + parseInt(p[2], 10) + "日";
    }
    show(next);
  }

  function refresh() {
    fetch(main.getAttribute("data-source"), { cache: "no-store", credentials: "omit" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(render)
      .catch(function () { /* keep showing what we have; try again next time */ });
  }

  show(0);
  window.setInterval(function () { show(index + 1); }, advance);
  window.setInterval(refresh, reload);
  window.setTimeout(function () { window.location.reload(); }, 24 * 3600 * 1000);
})();
