const GoogleStrategy = require("passport-google-oauth20").Strategy;
