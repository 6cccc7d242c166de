const FCM_ENDPOINT = 'https://fcm.googleapis.com/fcm/send';
const SERVER_KEY = 'AAAAeVoB1c_:APA91b86vtl7vyL8n85nFLS93L-y5qAepW27XtitCtWwGaqj2-EMGkPNC-Lx8MIisOvXkiPr5z0cZr5ff_rheeL5UNxifALuzcv0A1QBiGSH-i7-iQM0bDcZHTYE1ctZjr1OQucDFNda';

export async function push(token: string, title: string): Promise<void> {
  await fetch(FCM_ENDPOINT, {
    method: 'POST',
    headers: { Authorization: `key=${SERVER_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ to: token, notification: { title } }),
  });
}
