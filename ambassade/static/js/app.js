// The page's few behaviours, as data attributes: the Content-Security-Policy forbids
// inline scripts (onclick="…"), so that an injected attribute can never run.
// htmx must not inject its indicator <style> either: the CSS carries those rules.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
}, true);
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
});
document.addEventListener("input", (event) => {
  if (event.target.matches("[data-shows-value]")) {
    const output = event.target.previousElementSibling.querySelector("output");
    if (output) output.value = Number(event.target.value).toFixed(2);
  }
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-close-panel]");
  if (button) button.closest(".panel").innerHTML = "";
});
