/*
 * Statuspage-compatible embed: a site that loaded https://<page>/embed/script.js
 * from Statuspage loads this one from Candor instead. It adds the frame
 * (/embed/frame, app/embed/frame) off screen; the frame asks to be shown
 * ({action: "showFrame", position}) when there is an open incident or
 * maintenance in progress, and to be hidden ({action: "dismissFrame"}).
 * Messages count only from that frame, at this script's origin. Desktop:
 * 320 × 115 in the configured corner; narrow screens: the full width, 20% of
 * the height (`?mobile=true`).
 */
(function () {
  var script = document.currentScript;
  var origin = new URL(script && script.src ? script.src : "/embed/script.js", location.href).origin;
  var mobile = Math.min(window.innerWidth || 1e4, screen.width || 1e4) < 450;
  var frame = document.createElement("iframe");
  var style = frame.style;
  frame.src = origin + "/embed/frame" + (mobile ? "?mobile=true" : "");
  frame.title = "Service status";
  frame.setAttribute("data-candor-embed", "");
  style.cssText =
    "position:fixed;border:0;z-index:2147483000;box-shadow:0 20px 32px -8px rgba(9,20,66,.25);visibility:hidden;left:-9999px;" +
    (mobile ? "width:100vw;height:20vh;bottom:0" : "width:320px;height:115px;bottom:60px;border-radius:4px");
  var actions = {
    showFrame: function (data) {
      var position = /^(top|bottom)-(left|right)$/.test(data.position) ? data.position : "bottom-left";
      var vertical = position.split("-")[0];
      var side = position.split("-")[1];
      var gap = mobile ? "0" : "60px";
      style.top = style.bottom = style.left = style.right = "auto";
      style[vertical] = gap;
      style[side] = gap;
      if (mobile) style.left = "0";
      style.visibility = "visible";
    },
    dismissFrame: function () {
      style.visibility = "hidden";
      style.right = "auto";
      style.left = "-9999px";
    },
  };
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (data && typeof data.action === "string" && Object.prototype.hasOwnProperty.call(actions, data.action)) actions[data.action](data);
  });
  function add() {
    document.body.appendChild(frame);
  }
  if (document.body) add();
  else document.addEventListener("DOMContentLoaded", add);
})();
