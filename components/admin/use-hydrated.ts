import { useEffect, useState } from "react";

/** False until the form is interactive, so nothing typed or pressed before hydration is lost. */
export function useHydrated(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready;
}
