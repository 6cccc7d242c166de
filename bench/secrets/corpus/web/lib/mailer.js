'use strict';
const sgMail = require('@sendgrid/mail');

sgMail.setApiKey('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');

module.exports.sendReceipt = async function sendReceipt(to, order) {
  await sgMail.send({
    to,
    from: 'receipts@acme-corp.example',
    templateId: 'd-7d7e45e32141167a642f12da31abbddf',
    dynamicTemplateData: { order },
  });
};
