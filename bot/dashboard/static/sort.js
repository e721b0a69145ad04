// Sortable tables: each heading's button sorts the rows of the table body by that column's
// data-sort values (numbers where they are numbers, else text); empty values go last either
// way. The commune total sits in the table foot and stays last.
"use strict";
(function () {
  function value(cell) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    raw = raw.trim();
    if (raw === "") return null;
    var number = Number(raw);
    return isNaN(number) ? raw.toLocaleLowerCase() : number;
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), undefined, { numeric: true });
  }

  function sortBy(table, heads, index) {
    var head = heads[index];
    var ascending = head.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (left, right) {
      var a = value(left.cells[index]);
      var b = value(right.cells[index]);
      if (a === null || b === null) return (a === null) - (b === null);
      var order = compare(a, b);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
    head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (head, index) {
      var button = head.querySelector("button");
      if (button) button.addEventListener("click", function () { sortBy(table, heads, index); });
    });
  });
})();
