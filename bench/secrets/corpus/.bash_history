ls -la
cd ~/src/shop
git pull
mysql -u root -p'Orbit-Falcon9805?' shop < db/dumps/shop_2023-11-02.sql
docker compose up -d
export GITHUB_TOKEN=ghp_Y0pOgpialCNcDK51cO1uBuci0oRgptZIwxyq
gh pr list
kubectl get pods -n orders
echo $AWS_PROFILE
history | grep ssh
docker login -u acmebuild -p dckr_pat_YwmSKuKkb25CXDfHuoOA4uKVl4V
docker push acme/api:2.14.1
vim ~/.ssh/config
