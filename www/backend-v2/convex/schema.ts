// The app owns its users; the auth components keep sessions, usernames and password hashes.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({ method: v.string() }),
  notes: defineTable({ userId: v.id("users"), text: v.string() }).index("by_user", ["userId"]),
});
