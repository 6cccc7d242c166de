import newrelic from 'newrelic';

export const config = {
  newRelicUserKey: 'NRAK-5E14NJWHEBH0Z4QXBV0X66DXJLA',
  grafanaToken: 'glsa_eYRK4pthVa4HhdAQ3dLwx8ytap6SgOBI_7ee0d29f',
  grafanaUrl: 'https://acme.grafana.net',
  sampleRate: 0.1,
};

export function record(name, value) {
  newrelic.recordMetric(name, value);
}
