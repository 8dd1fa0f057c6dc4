// Tells the server the reader's time zone (a cookie it reads), so pages show times in it.
// The only script of the page; everything works without it (times then use the configured zone).
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
    return;
  }
  var wanted = "marsad_tz=" + zone; // the pattern above leaves nothing to encode
  if (document.cookie.split("; ").indexOf(wanted) === -1) {
    document.cookie = wanted + "; path=/; max-age=31536000; samesite=strict";
  }
})();
