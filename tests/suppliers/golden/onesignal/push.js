const OneSignal = require('@onesignal/node-onesignal');
const URL = 'https://api.onesignal.com/notifications';
