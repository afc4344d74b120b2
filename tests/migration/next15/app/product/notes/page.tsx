"use client";

import { useConvexAuth, useMutation, useQuery } from "convex/react";
import Link from "next/link";
import { useState } from "react";
import { api } from "@/convex/_generated/api";

export default function NotesPage() {
  const { isAuthenticated, isLoading } = useConvexAuth();
  const notes: { id: string; text: string }[] | null | undefined = useQuery(api.notes.list);
  const me: { email: string | null } | null | undefined = useQuery(api.users.me);
  const addNote = useMutation(api.notes.add);
  const [text, setText] = useState("");
  return (
    <main>
      <p id="client-auth">{isLoading ? "loading" : isAuthenticated ? "authenticated" : "unauthenticated"}</p>
      <p id="client-email">{me === undefined ? "…" : (me?.email ?? "nobody")}</p>
      <input id="note-text" value={text} onChange={(e) => setText(e.target.value)} />
      <button id="add-note" onClick={() => void addNote({ text }).then(() => setText(""))}>
        Add
      </button>
      <ul id="notes">{notes?.map((note) => <li key={note.id}>{note.text}</li>)}</ul>
      <Link id="to-product" href="/product">
        Back
      </Link>
    </main>
  );
}
