// @feature_category plan_provisioning
// The checkout form posts the chosen plan; provisioning happens server-side.

export function submitPlan(form) {
  return fetch('/checkout', { method: 'POST', body: new FormData(form) });
}
