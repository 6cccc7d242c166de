import { ClientSecretCredential } from '@azure/identity';

export const credential = new ClientSecretCredential(
  '371b3d44-a203-4c90-a9b8-dc09da6615ed',
  'ec5c22f9-8ca8-4a51-a391-8a97690f2948',
  '6ex5Q~Povpcmw567k_pkmSZvCyMLoF_l1S54GLlp',
);
