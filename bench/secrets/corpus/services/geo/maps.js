const { Client } = require('@googlemaps/google-maps-services-js');

const client = new Client({});
const key = 'AIzaJ6yCdmPk0hluNMswAujkcLNT5lA6_vevgCv';

exports.geocode = async (address) => {
  const res = await client.geocode({ params: { address, key } });
  return res.data.results[0]?.geometry.location;
};
