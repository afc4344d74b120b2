// The demo's per-user notes (Convex Auth 2): the user comes from the caller's session.
import { getAuthUserId } from "@convex-dev/auth/server";
import { v } from "convex/values";
import { mutation, query } from "./_generated/server";

/** The signed-in user's notes, newest first; null when signed out. */
export const list = query({
  args: {},
  handler: async (ctx): Promise<{ id: string; text: string }[] | null> => {
    const userId = await getAuthUserId(ctx);
    if (userId === null) return null;
    const notes = await ctx.db
      .query("notes")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .order("desc")
      .take(50);
    return notes.map((note) => ({ id: note._id as string, text: note.text }));
  },
});

/** Adds a note for the signed-in user. */
export const add = mutation({
  args: { text: v.string() },
  handler: async (ctx, { text }): Promise<null> => {
    const userId = await getAuthUserId(ctx);
    if (userId === null) throw new Error("Sign in to add notes");
    const trimmed = text.trim();
    if (trimmed.length === 0 || trimmed.length > 500) throw new Error("A note is 1 to 500 characters");
    await ctx.db.insert("notes", { userId, text: trimmed });
    return null;
  },
});
