// Enhancements of the explorer page; the page works without them. Adds
// "Expand all" and "Collapse all" buttons above the plan's tree. Nothing is
// remembered, on the server or in the browser.

window.lodestar = window.lodestar || {};

window.lodestar.explorer = () => {
  for (const tools of document.querySelectorAll("[data-tree-tools]")) {
    const tree = document.getElementById(tools.dataset.treeTools);
    if (!tree) {
      continue;
    }
    const branches = () => tree.querySelectorAll("details");
    const button = (label, open) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.textContent = label;
      b.addEventListener("click", () => {
        for (const d of branches()) {
          d.open = open;
        }
      });
      return b;
    };
    tools.append(button("Expand all", true), button("Collapse all", false));
  }
};
