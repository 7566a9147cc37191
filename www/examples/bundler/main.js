// <cognito-login> in an app built by a bundler: import the package by name.
import "cognito-wasm/widget";

const params = new URLSearchParams(location.search);
const el = document.getElementById("login");
el.config = {
  userPoolId: params.get("pool") ?? "us-east-1_LocalDemo",
  clientId: params.get("client") ?? "demo-spa-client",
  endpoint: params.get("endpoint") ?? "http://127.0.0.1:9229",
};
el.addEventListener("signed-in", (e) => {
  document.getElementById("who").textContent = `bundled app: ${e.detail.username} is signed in`;
});
