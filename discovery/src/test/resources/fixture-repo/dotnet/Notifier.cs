using System;
using Twilio;
using Twilio.Rest.Api.V2010.Account;

public class Notifier {
    public void Send() {
        using (var http = new System.Net.Http.HttpClient()) { }
    }
}
