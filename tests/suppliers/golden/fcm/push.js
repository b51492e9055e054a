import { getMessaging } from "firebase-admin/messaging";
