// For the municipality's page around the portal or a widget: each <iframe data-skolportal> from
// this script's origin grows with the page inside it, which tells its height (http::embed).
(function () {
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : "";
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || !e.data || e.data.type !== "skolportal:height") return;
    var height = Number(e.data.height);
    if (!isFinite(height) || height < 0) return;
    var frames = document.querySelectorAll("iframe[data-skolportal]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) frames[i].style.height = Math.ceil(height) + "px";
    }
  });
})();
