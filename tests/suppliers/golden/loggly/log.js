require('winston-loggly-bulk');
const HOST = 'logs-01.loggly.com';
