// Where the demo's sign-in emails go: the backend's terminal (and, for the end-to-end tests, a
// list the local backend exposes). A real app sends them with Resend, SES, …
type Mail = { to: string; url: string };
const box = ((globalThis as { __demoMailbox?: Mail[] }).__demoMailbox ??= []);

export function deliver(mail: Mail) {
  box.push(mail);
  console.log(`sign-in link for ${mail.to}: ${mail.url}`);
}
