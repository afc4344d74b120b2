import { getAuthUserId } from "@convex-dev/auth/server";
import { v } from "convex/values";
import { components } from "./_generated/api";
import { internalMutation, query } from "./_generated/server";

/** The `createUser` callback of the sign-in methods: a new app user for a new identity. */
export const createUser = internalMutation({
  args: { method: v.object({ name: v.string(), profile: v.any() }) },
  returns: v.id("users"),
  handler: (ctx, { method }) => ctx.db.insert("users", { method: method.name }),
});

/** The user of the caller's session (through the session, so null once it is revoked), or null. */
export const me = query({
  args: {},
  handler: async (ctx) => {
    const userId = await getAuthUserId(ctx);
    if (userId === null) return null;
    const user = await ctx.db.get(userId);
    if (user === null) return null;
    const username = await ctx.runQuery(components.authUsername.public.getUsername, { userId });
    const email = await ctx.runQuery(components.authEmail.verifiedEmails.getPrimaryEmail, { userId });
    return { id: user._id, username, email, method: user.method };
  },
});

/** The identity Convex gives functions for the caller's token (the tests check its fields). */
export const identity = query({
  args: {},
  handler: (ctx) => ctx.auth.getUserIdentity(),
});
