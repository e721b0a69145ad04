// Opening a one-time link: submit its form at once (the GET alone never uses the link, so a
// chat app's link preview cannot use it up). Without scripts, the button does the same.
"use strict";
document.getElementById("login").submit();
