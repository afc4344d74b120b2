import { SignUpThenNavigate } from "./sign-up";

export default function MigratePage() {
  return (
    <>
      <h1>Server provider only</h1>
      <p className="muted">No Convex client here: sign-up through useAuthActions(), then a client-side navigation.</p>
      <SignUpThenNavigate />
    </>
  );
}
