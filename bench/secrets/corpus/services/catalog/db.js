const { MongoClient } = require('mongodb');

const uri = 'mongodb+srv://catalog:oLAKLXQWeXCw%25kDNgN1qk@cluster0.x8k2p.mongodb.net/catalog?retryWrites=true&w=majority';
const localUri = process.env.MONGO_URL || 'mongodb://localhost:27017/catalog';

module.exports = new MongoClient(process.env.NODE_ENV === 'production' ? uri : localUri);
