const algoliasearch = require('algoliasearch');

const APP_ID = 'K3X9Q2ABCD';
const ALGOLIA_ADMIN_KEY = 'e2d2811acba992f7139a318592e434df';

module.exports = algoliasearch(APP_ID, ALGOLIA_ADMIN_KEY).initIndex('products');
