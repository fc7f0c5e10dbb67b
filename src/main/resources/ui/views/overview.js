export async function render(root) {
  root.textContent = 'not yet';
}
