// The Streamlit Components v1 protocol, spoken directly (no streamlit-component-lib: it would
// bring React and Apache Arrow for three messages). The page sends "streamlit:render" with the
// component's arguments; the component answers with its value and its height.

type Listener = (args: Record<string, unknown>, disabled: boolean) => void;

function send(type: string, data: Record<string, unknown> = {}): void {
  window.parent.postMessage({ isStreamlitMessage: true, type, ...data }, "*");
}

export function onRender(listener: Listener): void {
  window.addEventListener("message", (event: MessageEvent) => {
    const data = event.data as { type?: string; args?: Record<string, unknown>; disabled?: boolean };
    if (data && data.type === "streamlit:render") {
      listener(data.args ?? {}, Boolean(data.disabled));
    }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
}

export function setComponentValue(value: unknown): void {
  send("streamlit:setComponentValue", { value, dataType: "json" });
}

let lastHeight = -1;

export function setFrameHeight(height: number): void {
  const rounded = Math.ceil(height);
  if (rounded !== lastHeight) {
    lastHeight = rounded;
    send("streamlit:setFrameHeight", { height: rounded });
  }
}
