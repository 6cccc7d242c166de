import oss2

auth = oss2.Auth("LTAIq41iHHoMowPk4qWmjhg9", "gEDblkTwQwQjYzEslhV5e5BzXbKDPu")
bucket = oss2.Bucket(auth, "https://oss-cn-hangzhou.aliyuncs.com", "acme-cn-assets")
