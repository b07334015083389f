// On a phone a wide table breaks its words one character per line. A table marked .table-stack
// shows each row as a small card there instead (xuedai.css); this gives every cell its column's
// name, read from the header, so the card says 金额(元) ¥8,700.00 rather than a bare number.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table.table-stack")) {
    const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (names[i] && !cell.hasAttribute("colspan")) cell.dataset.label = names[i];
      });
    }
  }
});
