import Link from "next/link";

export default function Home() {
  return (
    <main>
      <h1>Notes on Convex</h1>
      <Link id="to-product" href="/product">
        Your notes
      </Link>
    </main>
  );
}
