#!/usr/bin/env python3
"""Drive one case through a Banjian node with a stock gRPC client generated from proto/.

    pip install grpcio grpcio-tools
    python3 -m grpc_tools.protoc -I proto --python_out=/tmp/banjian-py --grpc_python_out=/tmp/banjian-py \
        proto/banjian/v1/*.proto
    PYTHONPATH=/tmp/banjian-py python3 scripts/python-client.py demo/341182102.json

It reads the node's address and CA from the config and the demo tokens from the tokens file
beside it, then: create, accept, complete, reply, hand over, feedback, archive; prints the
event log; and shows that a retry returns the first result and a bad field gets
INVALID_ARGUMENT naming the field.
"""
import json
import os
import sys
import uuid

import grpc
from banjian.v1 import case_event_pb2 as ev
from banjian.v1 import case_pb2 as case
from banjian.v1 import case_service_pb2 as cs
from banjian.v1 import case_service_pb2_grpc as csg
from banjian.v1 import common_pb2 as common

config_path = sys.argv[1] if len(sys.argv) > 1 else "demo/341182102.json"
directory = os.path.dirname(os.path.abspath(config_path))
config = json.load(open(config_path))
tokens = json.load(open(os.path.join(directory, f"{config['node']['code']}-tokens.json")))
host, port = config["listen"].rsplit(":", 1)
ca = open(os.path.join(directory, config["tls"]["trustRoots"]), "rb").read()
channel = grpc.secure_channel(f"{'127.0.0.1' if host == '0.0.0.0' else host}:{port}", grpc.ssl_channel_credentials(ca))
stub = csg.CaseServiceStub(channel)


def auth(role):
    return [("authorization", f"Bearer {tokens[role]['token']}")]


def rid():
    return str(uuid.uuid4())


create = cs.CreateCaseRequest(
    request_id=rid(),
    received=ev.CaseReceived(
        channel=case.CASE_CHANNEL_WINDOW,
        applicant=common.Party(name="张三", phone="13800000000"),
        matter_code="JS-003", matter_name="生育登记", matter_version=1,
        summary="申请生育登记",
        materials=[case.Material(id="m1", name="结婚证", copies=1, is_main_document=True)],
    ),
)
created = stub.CreateCase(create, metadata=auth("acceptor"))
number = created.case_record.number
print("created", number, case.CaseState.Name(created.case_record.state))
again = stub.CreateCase(create, metadata=auth("acceptor"))
assert again.case_record.number == number, "a retry returns the first result"

handler = common.Actor(operator_id="handler-1", name="张承办", role=common.ROLE_HANDLER,
                       node_code=config["node"]["code"])
steps = [
    ("acceptor", "AcceptCase", cs.AcceptCaseRequest(request_id=rid(), case_number=number, accepted=ev.CaseAccepted(
        promised=ev.CaseAccepted.Promised(department="社会事务服务部", handler=handler,
                                          promised_limit=common.TimeLimit(working_days=5))))),
    ("handler", "CompleteCase", cs.CompleteCaseRequest(request_id=rid(), case_number=number, completed=ev.CaseCompleted(
        result=case.CaseResult(outcome=case.CASE_OUTCOME_APPROVED, text="准予登记"),
        handling_opinion="符合条件", review=common.Opinion(text="复核无误")))),
    ("handler", "ReplyCase", cs.ReplyCaseRequest(request_id=rid(), case_number=number)),
    ("acceptor", "HandOverCase", cs.HandOverCaseRequest(request_id=rid(), case_number=number, handed_over=case.Handover(
        recipient="张三", method=case.HANDOVER_METHOD_IN_PERSON, recipient_signed=True))),
    ("acceptor", "RecordFeedback", cs.RecordFeedbackRequest(request_id=rid(), case_number=number,
        feedback_recorded=case.Feedback(satisfaction=common.SATISFACTION_SATISFIED))),
    ("acceptor", "ArchiveCase", cs.ArchiveCaseRequest(request_id=rid(), case_number=number)),
]
for role, method, request in steps:
    reply = getattr(stub, method)(request, metadata=auth(role))
    print(f"{method:15} -> {case.CaseState.Name(reply.case_record.state)} (version {reply.event.case_version})")

for event in stub.ListCaseEvents(cs.ListCaseEventsRequest(case_number=number), metadata=auth("auditor")).events:
    print(f"  v{event.case_version} {event.WhichOneof('body')} by {event.actor.name}")

try:
    bad = cs.CreateCaseRequest()
    bad.CopyFrom(create)
    bad.request_id = rid()
    bad.received.applicant.phone = "not a phone"
    stub.CreateCase(bad, metadata=auth("acceptor"))
    raise SystemExit("a bad phone was accepted")
except grpc.RpcError as error:
    print("refused:", error.code().name, error.details())
