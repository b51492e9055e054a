import { getAuth } from "firebase/auth";
const URL = "https://identitytoolkit.googleapis.com/v1/accounts";
