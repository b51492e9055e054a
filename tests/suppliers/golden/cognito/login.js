import { CognitoUserPool } from "amazon-cognito-identity-js";
