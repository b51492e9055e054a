const sgMail = require('@sendgrid/mail');
