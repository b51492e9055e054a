import appleSignin from "apple-signin-auth";
const KEYS = "https://appleid.apple.com/auth/keys";
