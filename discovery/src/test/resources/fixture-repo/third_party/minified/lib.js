var u="https://api.mixpanel.com/track";
