// The site origin's router. The username + password method has no HTTP routes (OAuth methods
// would add their callbacks here).
import { httpRouter } from "convex/server";

export default httpRouter();
