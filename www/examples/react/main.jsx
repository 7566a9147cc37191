// <cognito-login> in React 19: React sets `config` and `i18n` as properties
// (the element is defined before the first render) and listens to the
// widget's events with on<event-name> props.
import { useState } from "react";
import { createRoot } from "react-dom/client";
import "cognito-wasm/widget";

const params = new URLSearchParams(location.search);
const config = {
  userPoolId: params.get("pool") ?? "us-east-1_LocalDemo",
  clientId: params.get("client") ?? "demo-spa-client",
  endpoint: params.get("endpoint") ?? "http://127.0.0.1:9229",
  formFields: { username: { label: "Your username" } },
};

function App() {
  const [user, setUser] = useState(null);
  const [screen, setScreen] = useState("");
  return (
    <main>
      <h1>React 19 app</h1>
      <p id="react-status">{user ? `React knows: ${user} is signed in` : "React knows: nobody is signed in"}</p>
      <p id="react-screen">screen: {screen}</p>
      <cognito-login
        config={config}
        i18n={{ signInTitle: "Sign in to the React app" }}
        onsigned-in={(e) => setUser(e.detail.username)}
        onsigned-out={() => setUser(null)}
        onstep={(e) => setScreen(e.detail.screen)}
      />
    </main>
  );
}

createRoot(document.getElementById("root")).render(<App />);
